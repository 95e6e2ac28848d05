// OKXDecimal: validation and comparison of OKX's decimal strings, without ever going through
// Double. A valid string is what PostgreSQL's numeric accepts and prints back unchanged:
// `0|[1-9][0-9]*` optionally followed by `.` and digits; no sign, no exponent, no NaN/Infinity,
// no leading zeros ("007"), at most 64 characters and 40 significant digits.

public enum OKXDecimal {
    public static let maxLength = 64
    public static let maxSignificantDigits = 40

    /// Why `s` is not an acceptable unsigned decimal, or nil when it is.
    public static func problem(_ s: String) -> String? {
        if s.isEmpty { return "empty string" }
        if s.utf8.count > maxLength { return "number longer than \(maxLength) characters" }
        let lower = s.lowercased()
        if lower.contains("nan") || lower.contains("inf") { return "not a finite number: \"\(s)\"" }
        if s.hasPrefix("-") { return "negative: \"\(s)\"" }
        if s.hasPrefix("+") { return "explicit sign not accepted: \"\(s)\"" }
        if lower.contains("e") { return "exponent form not accepted: \"\(s)\"" }
        let bytes = Array(s.utf8)
        var i = 0
        var intDigits = 0
        while i < bytes.count, isDigit(bytes[i]) { i += 1; intDigits += 1 }
        if intDigits == 0 { return "not a decimal number: \"\(s)\"" }
        if intDigits > 1 && bytes[0] == UInt8(ascii: "0") { return "leading zero: \"\(s)\"" }
        if i < bytes.count {
            guard bytes[i] == UInt8(ascii: ".") else { return "not a decimal number: \"\(s)\"" }
            i += 1
            var fracDigits = 0
            while i < bytes.count, isDigit(bytes[i]) { i += 1; fracDigits += 1 }
            if fracDigits == 0 || i != bytes.count { return "not a decimal number: \"\(s)\"" }
        }
        var significant = 0
        var seenNonZero = false
        for b in bytes where isDigit(b) {
            if b != UInt8(ascii: "0") { seenNonZero = true }
            if seenNonZero { significant += 1 }
        }
        if significant > maxSignificantDigits { return "more than \(maxSignificantDigits) significant digits: \"\(s)\"" }
        return nil
    }

    /// True when `s` is a valid decimal (see `problem`).
    public static func isValid(_ s: String) -> Bool { problem(s) == nil }

    /// True when the (valid) decimal `s` is zero ("0", "0.000").
    public static func isZero(_ s: String) -> Bool {
        !s.utf8.contains { $0 >= UInt8(ascii: "1") && $0 <= UInt8(ascii: "9") }
    }

    /// Compares two valid decimal strings numerically.
    public static func compare(_ a: String, _ b: String) -> Int {
        let (ai, af) = split(a), (bi, bf) = split(b)
        if ai.count != bi.count { return ai.count < bi.count ? -1 : 1 }
        for (x, y) in zip(ai, bi) where x != y { return x < y ? -1 : 1 }
        let n = max(af.count, bf.count)
        for k in 0..<n {
            let x = k < af.count ? af[k] : UInt8(ascii: "0")
            let y = k < bf.count ? bf[k] : UInt8(ascii: "0")
            if x != y { return x < y ? -1 : 1 }
        }
        return 0
    }

    static func less(_ a: String, _ b: String) -> Bool { compare(a, b) < 0 }

    private static func split(_ s: String) -> ([UInt8], [UInt8]) {
        let bytes = Array(s.utf8)
        let dot = bytes.firstIndex(of: UInt8(ascii: ".")) ?? bytes.count
        var intPart = Array(bytes[..<dot])
        while intPart.count > 1, intPart[0] == UInt8(ascii: "0") { intPart.removeFirst() }
        if intPart == [UInt8(ascii: "0")] { intPart = [] }
        let frac = dot < bytes.count ? Array(bytes[(dot + 1)...]) : []
        return (intPart, frac)
    }

    private static func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }

    /// Parses a Unix-millisecond timestamp string (digits only, fits Int64).
    static func parseMs(_ s: String) -> Int64? {
        guard !s.isEmpty, s.utf8.count <= 19, s.utf8.allSatisfy({ isDigit($0) }) else { return nil }
        return Int64(s)
    }
}
