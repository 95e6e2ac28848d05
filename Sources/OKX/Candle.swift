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
            let s = try CandleRowChecks.strings(rawRow, fieldNames: fieldNames, bad)
            let ts = try CandleRowChecks.openTime(s[0], bar: bar, bad)
            try CandleRowChecks.prices(s, fieldNames: fieldNames, bad)
            for k in 5...7 {
                if let p = OKXDecimal.problem(s[k]) { throw bad(fieldNames[k], "volume \(p)") }
            }
            let (o, h, l, c) = (s[1], s[2], s[3], s[4])
            try CandleRowChecks.highAndLow(open: o, high: h, low: l, close: c, bad)
            let confirmed = try CandleRowChecks.confirmed(s[8], bad)
            out.append(Candle(ts: ts, open: o, high: h, low: l, close: c,
                              vol: s[5], volCcy: s[6], volCcyQuote: s[7], confirmed: confirmed))
        }
        return out
    }
}
