// PriceCandle: one mark-price or index candle row, `[ts,o,h,l,c,confirm]` (no volume), validated
// like Candle's rows.

/// Which price a PriceCandle is of.
public enum PriceType: String, Sendable, Hashable, CaseIterable {
    /// The mark price of a swap or future (mark-price-candles), stored under the swap's instId.
    case mark
    /// A spot index (index-candles), stored under the index's instId (BTC-USDT).
    case index
}

/// A mark-price or index candle as OKX sent it: `ts` the open time (Unix ms); prices are the
/// exact decimal strings OKX sent, validated (positive, finite, high highest, low lowest).
public struct PriceCandle: Sendable, Hashable {
    public var ts: Int64
    public var open: String
    public var high: String
    public var low: String
    public var close: String
    /// False while the candle is still forming (`confirm` "0").
    public var confirmed: Bool

    public init(ts: Int64, open: String, high: String, low: String, close: String, confirmed: Bool) {
        self.ts = ts; self.open = open; self.high = high; self.low = low; self.close = close; self.confirmed = confirmed
    }

    /// Field names of a row, in OKX's order.
    public static let fieldNames = ["ts", "o", "h", "l", "c", "confirm"]

    /// De-duplicates on `ts` (a confirmed row wins, else the later one) and sorts oldest first.
    public static func deduplicatedAndSorted(_ candles: [PriceCandle]) -> [PriceCandle] {
        var byTs: [Int64: PriceCandle] = [:]
        for c in candles {
            if let existing = byTs[c.ts], existing.confirmed, !c.confirmed { continue }
            byTs[c.ts] = c
        }
        return byTs.values.sorted { $0.ts < $1.ts }
    }

    /// Decodes and validates a `data` array of mark/index rows. One bad row rejects the page: the
    /// error names the row index and the field.
    static func decodeRows(_ rows: [Any], bar: Bar, endpoint: OKXEndpoint) throws -> [PriceCandle] {
        var out: [PriceCandle] = []
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
            let (o, h, l, c) = (s[1], s[2], s[3], s[4])
            if OKXDecimal.less(h, o) || OKXDecimal.less(h, c) || OKXDecimal.less(h, l) {
                throw bad("h", "high \(h) is below open \(o), close \(c) or low \(l)")
            }
            if OKXDecimal.less(o, l) || OKXDecimal.less(c, l) {
                throw bad("l", "low \(l) is above open \(o) or close \(c)")
            }
            let confirmed: Bool
            switch s[5] {
            case "0": confirmed = false
            case "1": confirmed = true
            default: throw bad("confirm", "expected \"0\" or \"1\", got \"\(s[5])\"")
            }
            out.append(PriceCandle(ts: ts, open: o, high: h, low: l, close: c, confirmed: confirmed))
        }
        return out
    }
}
