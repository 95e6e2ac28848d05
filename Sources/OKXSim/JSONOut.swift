// A small byte-level JSON writer: fast candle pages, exact decimal strings.

/// Appends JSON to a byte buffer. Numbers are written as OKX does: decimal strings.
struct JSONOut {
    var bytes: [UInt8] = []

    init(capacity: Int = 256) { bytes.reserveCapacity(capacity) }

    mutating func raw(_ s: String) { bytes.append(contentsOf: s.utf8) }
    mutating func byte(_ b: UInt8) { bytes.append(b) }

    /// A JSON string literal (escapes quotes, backslashes and control characters).
    mutating func string(_ s: String) {
        bytes.append(0x22)
        for b in s.utf8 {
            switch b {
            case 0x22: bytes.append(0x5C); bytes.append(0x22)
            case 0x5C: bytes.append(0x5C); bytes.append(0x5C)
            case 0..<0x20:
                raw("\\u00")
                let hex = Array("0123456789abcdef".utf8)
                bytes.append(hex[Int(b >> 4)]); bytes.append(hex[Int(b & 15)])
            default: bytes.append(b)
            }
        }
        bytes.append(0x22)
    }

    /// `"<v / 10^scale>"` with trailing zeros (and a trailing dot) removed, as OKX prints.
    mutating func decimal(_ v: Int64, scale: Int) {
        bytes.append(0x22)
        appendDecimal(v, scale: scale)
        bytes.append(0x22)
    }

    mutating func appendDecimal(_ v: Int64, scale: Int) {
        // 20 digits hold any Int64; up to 19 more leading zeros for the fraction.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 48) { buf in
            var n = v.magnitude
            var end = 48, pos = 48
            var produced = 0
            repeat {
                pos -= 1
                buf[pos] = UInt8(truncatingIfNeeded: n % 10) &+ 0x30
                n /= 10
                produced += 1
            } while n > 0
            while produced <= scale { pos -= 1; buf[pos] = 0x30; produced += 1 }
            // buf[pos..<end] is most significant first; the last `scale` digits are the fraction.
            var fracEnd = end
            while fracEnd > end - scale && buf[fracEnd - 1] == 0x30 { fracEnd -= 1 }
            if v < 0 { bytes.append(0x2D) }
            let intEnd = end - scale
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buf[pos..<intEnd]))
            if fracEnd > intEnd {
                bytes.append(0x2E)
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buf[intEnd..<fracEnd]))
            }
            end = 0
        }
    }

    mutating func int(_ v: Int64) {
        raw(String(v))
    }
}

/// Exact decimal text of `v / 10^scale` (trailing zeros removed).
public func formatDecimal(_ v: Int64, scale: Int) -> String {
    var o = JSONOut(capacity: 24)
    o.appendDecimal(v, scale: scale)
    return String(decoding: o.bytes, as: UTF8.self)
}

func pow10(_ n: Int) -> Int64 {
    var v: Int64 = 1
    for _ in 0..<max(0, n) { v *= 10 }
    return v
}
