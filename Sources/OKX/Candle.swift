// Candle: one OKX candle row, `[ts,o,h,l,c,vol,volCcy,volCcyQuote,confirm]`, validated.

/// One candle as OKX sent it: `ts` is the open time (Unix ms); prices and volumes are the exact
/// decimal strings OKX sent (validated, so PostgreSQL's numeric accepts them unchanged).
public struct Candle: Sendable, Hashable {
    public var ts: Int64
    public var open: String
    public var high: String
    public var low: String
    public var close: String
    /// SPOT/MARGIN: base currency; derivatives: contracts.
    public var vol: String
    /// SPOT/MARGIN: quote currency; derivatives: base currency.
    public var volCcy: String
    /// Always the quote currency.
    public var volCcyQuote: String
    /// False while the candle is still forming (`confirm` "0").
    public var confirmed: Bool

    public init(ts: Int64, open: String, high: String, low: String, close: String,
                vol: String, volCcy: String, volCcyQuote: String, confirmed: Bool) {
        self.ts = ts; self.open = open; self.high = high; self.low = low; self.close = close
        self.vol = vol; self.volCcy = volCcy; self.volCcyQuote = volCcyQuote; self.confirmed = confirmed
    }

    /// Field names of a row, in OKX's order.
    public static let fieldNames = ["ts", "o", "h", "l", "c", "vol", "volCcy", "volCcyQuote", "confirm"]

    /// De-duplicates candles on `ts` and sorts them oldest first. Of two rows with the same `ts`
    /// a confirmed one wins over an unconfirmed one; otherwise the later one in `candles` wins.
    public static func deduplicatedAndSorted(_ candles: [Candle]) -> [Candle] {
        var byTs: [Int64: Candle] = [:]
        byTs.reserveCapacity(candles.count)
        for c in candles {
            if let existing = byTs[c.ts], existing.confirmed, !c.confirmed { continue }
            byTs[c.ts] = c
        }
        return byTs.values.sorted { $0.ts < $1.ts }
    }
}

extension Candle {
    /// Decodes and validates a `data` array of candle rows. One bad row rejects the page:
    /// the error names the row index and the field.
    static func decodeRows(_ rows: [Any], bar: Bar, endpoint: OKXEndpoint) throws -> [Candle] {
        var out: [Candle] = []
        out.reserveCapacity(rows.count)
        for (index, rawRow) in rows.enumerated() {
            func bad(_ field: String?, _ reason: String) -> OKXError {
                .malformed(endpoint: endpoint, row: index, field: field, reason: reason)
            }
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
            guard let ts = OKXDecimal.parseMs(s[0]) else { throw bad("ts", "not a Unix millisecond timestamp: \"\(s[0])\"") }
            guard bar.isAligned(ts) else {
                throw bad("ts", "\(ts) is not on the \(bar.rawValue) grid (candle would open at \(bar.start(of: ts)))")
            }
            for k in 1...4 {
                if let p = OKXDecimal.problem(s[k]) { throw bad(fieldNames[k], "price \(p)") }
                if OKXDecimal.isZero(s[k]) { throw bad(fieldNames[k], "price is zero") }
            }
            for k in 5...7 {
                if let p = OKXDecimal.problem(s[k]) { throw bad(fieldNames[k], "volume \(p)") }
            }
            let (o, h, l, c) = (s[1], s[2], s[3], s[4])
            if OKXDecimal.less(h, o) || OKXDecimal.less(h, c) || OKXDecimal.less(h, l) {
                throw bad("h", "high \(h) is below open \(o), close \(c) or low \(l)")
            }
            if OKXDecimal.less(o, l) || OKXDecimal.less(c, l) {
                throw bad("l", "low \(l) is above open \(o) or close \(c)")
            }
            let confirmed: Bool
            switch s[8] {
            case "0": confirmed = false
            case "1": confirmed = true
            default: throw bad("confirm", "expected \"0\" or \"1\", got \"\(s[8])\"")
            }
            out.append(Candle(ts: ts, open: o, high: h, low: l, close: c,
                              vol: s[5], volCcy: s[6], volCcyQuote: s[7], confirmed: confirmed))
        }
        return out
    }
}
