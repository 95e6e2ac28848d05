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
            let s = try CandleRowChecks.strings(rawRow, fieldNames: fieldNames, bad)
            let ts = try CandleRowChecks.openTime(s[0], bar: bar, bad)
            try CandleRowChecks.prices(s, fieldNames: fieldNames, bad)
            let (o, h, l, c) = (s[1], s[2], s[3], s[4])
            try CandleRowChecks.highAndLow(open: o, high: h, low: l, close: c, bad)
            let confirmed = try CandleRowChecks.confirmed(s[5], bad)
            out.append(PriceCandle(ts: ts, open: o, high: h, low: l, close: c, confirmed: confirmed))
        }
        return out
    }
}
