// CandleRowChecks: the checks every OKX candle-shaped row gets (trade candles, mark-price and
// index candles, WebSocket pushes), one home for each; the row types call them in their order.

/// The error of one field of one row (`nil` field: the row as a whole).
typealias RowFault = (_ field: String?, _ reason: String) -> OKXError

enum CandleRowChecks {
    /// The row as its strings: an array of exactly `fieldNames.count` strings.
    static func strings(_ rawRow: Any, fieldNames: [String], _ bad: RowFault) throws -> [String] {
        guard let row = rawRow as? [Any] else { throw bad(nil, "row is not an array") }
        guard row.count == fieldNames.count else {
            throw bad(nil, "row has \(row.count) fields, expected \(fieldNames.count)")
        }
        var s: [String] = []
        s.reserveCapacity(row.count)
        for (k, value) in row.enumerated() {
            guard let str = value as? String else { throw bad(fieldNames[k], "not a string: \(value)") }
            s.append(str)
        }
        return s
    }

    /// `ts`: Unix milliseconds on the bar's grid.
    static func openTime(_ text: String, bar: Bar, _ bad: RowFault) throws -> Int64 {
        guard let ts = OKXDecimal.parseMs(text) else { throw bad("ts", "not a Unix millisecond timestamp: \"\(text)\"") }
        guard bar.isAligned(ts) else {
            throw bad("ts", "\(ts) is not on the \(bar.rawValue) grid (candle would open at \(bar.start(of: ts)))")
        }
        return ts
    }

    /// o, h, l, c (fields 1 to 4): finite positive decimals.
    static func prices(_ s: [String], fieldNames: [String], _ bad: RowFault) throws {
        for k in 1...4 {
            if let p = OKXDecimal.problem(s[k]) { throw bad(fieldNames[k], "price \(p)") }
            if OKXDecimal.isZero(s[k]) { throw bad(fieldNames[k], "price is zero") }
        }
    }

    /// High is the highest of the four prices, low the lowest.
    static func highAndLow(open o: String, high h: String, low l: String, close c: String, _ bad: RowFault) throws {
        if OKXDecimal.less(h, o) || OKXDecimal.less(h, c) || OKXDecimal.less(h, l) {
            throw bad("h", "high \(h) is below open \(o), close \(c) or low \(l)")
        }
        if OKXDecimal.less(o, l) || OKXDecimal.less(c, l) {
            throw bad("l", "low \(l) is above open \(o) or close \(c)")
        }
    }

    /// `confirm`: "0" (forming) or "1" (closed).
    static func confirmed(_ text: String, _ bad: RowFault) throws -> Bool {
        switch text {
        case "0": return false
        case "1": return true
        default: throw bad("confirm", "expected \"0\" or \"1\", got \"\(text)\"")
        }
    }
}
