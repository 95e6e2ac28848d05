// The entry the WebSocket stream (module OKXStream) decodes pushes through: the same checks as
// REST candle rows (Candle.decodeRows), so a push is stored only if a REST row like it would be.

extension Candle {
    /// Decodes and validates the `data` rows of one candle push. Throws `OKXError.malformed`
    /// naming the row and field (endpoint `candles`: the rows are REST candle rows).
    public static func decodePushRows(_ rows: [Any], bar: Bar) throws -> [Candle] {
        try decodeRows(rows, bar: bar, endpoint: .candles)
    }
}
