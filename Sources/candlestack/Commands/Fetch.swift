import ArgumentParser
import CivilTime
import Foundation
import Logging
import OKX

/// `candlestack fetch --inst BTC-USDT --bar 1m --limit 5`: live candles from OKX as a table.
struct Fetch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the newest candles of an instrument from OKX (no database needed).",
        discussion: "Rows newest first, as OKX sends them; confirm 0 marks the candle still forming.")

    @OptionGroup var okx: OKXOptions
    @OptionGroup var log: LogOptions

    @Option(name: .customLong("inst"), help: "OKX instrument id, e.g. BTC-USDT or BTC-USDT-SWAP.", transform: SeriesInput.instrument)
    var inst: String

    @Option(help: "Bar: 1m, 5m, 1H, 4H, 1D, 1Dutc, 1W, ...", transform: SeriesInput.bar)
    var bar: Bar = .m1

    @Option(help: "Rows, 1...300.")
    var limit: Int = 5

    @Option(help: "Only rows older than this time (a date, ISO 8601, Unix s or ms, now-1d): pages back in history.",
            transform: CLITime.parse)
    var before: CLITime?

    @Flag(help: "Ask /market/history-candles instead of /market/candles (years of history).")
    var history = false

    func validate() throws {
        guard (1...300).contains(limit) else { throw ValidationError("--limit must be 1...300; got \(limit)") }
    }

    func run() async throws {
        var logger = log.makeLogger("candlestack.fetch")
        logger.logLevel = max(logger.logLevel, .warning)
        let client = try okx.makeLocalClient(logger: logger)
        let after = before?.ms
        let candles: [Candle]
        do {
            candles = history
                ? try await client.historyCandles(instId: inst, bar: bar, after: after, limit: limit)
                : try await client.candles(instId: inst, bar: bar, after: after, limit: limit)
        } catch let error as OKXError {
            throw CLIError("\(error)")
        }
        Table.printRows(header: ["ts (UTC)", "open", "high", "low", "close", "vol", "volCcy", "volCcyQuote", "confirm"],
                        rows: candles.map { c in
                            [UTCTime.iso(ms: c.ts), c.open, c.high, c.low, c.close, c.vol, c.volCcy, c.volCcyQuote, c.confirmed ? "1" : "0"]
                        })
    }
}
