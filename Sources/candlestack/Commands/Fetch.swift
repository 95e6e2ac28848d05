import ArgumentParser
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

    @Option(name: .customLong("inst"), help: "OKX instrument id, e.g. BTC-USDT or BTC-USDT-SWAP.")
    var inst: String

    @Option(help: "Bar: 1m, 5m, 1H, 4H, 1D, 1Dutc, 1W, ...")
    var bar: String = "1m"

    @Option(help: "Rows, 1...300.")
    var limit: Int = 5

    @Option(help: "Only rows older than this time (ISO 8601 or Unix ms): pages back in history.")
    var before: String?

    @Flag(help: "Ask /market/history-candles instead of /market/candles (years of history).")
    var history = false

    func validate() throws {
        guard inst.range(of: #"^[A-Z0-9]+(-[A-Z0-9]+){1,3}$"#, options: .regularExpression) != nil else {
            throw ValidationError("--inst must be an OKX instrument id such as BTC-USDT or BTC-USDT-SWAP; got \(inst)")
        }
        guard Bar(rawValue: bar) != nil else {
            throw ValidationError("--bar must be one of \(Bar.allCases.map(\.rawValue).joined(separator: ", ")); got \(bar)")
        }
        guard (1...300).contains(limit) else { throw ValidationError("--limit must be 1...300; got \(limit)") }
        if let before, CLITime.parseMs(before) == nil {
            throw ValidationError("--before must be a date, an ISO 8601 time or Unix ms; got \(before)")
        }
    }

    func run() async throws {
        var logger = log.makeLogger("candlestack.fetch")
        logger.logLevel = max(logger.logLevel, .warning)
        let client = try okx.makeLocalClient(logger: logger)
        let barValue = Bar(rawValue: bar)!
        let after = before.flatMap(CLITime.parseMs)
        let candles: [Candle]
        do {
            candles = history
                ? try await client.historyCandles(instId: inst, bar: barValue, after: after, limit: limit)
                : try await client.candles(instId: inst, bar: barValue, after: after, limit: limit)
        } catch let error as OKXError {
            throw CLIError("\(error)")
        }
        Table.printRows(header: ["ts (UTC)", "open", "high", "low", "close", "vol", "volCcy", "volCcyQuote", "confirm"],
                        rows: candles.map { c in
                            [CLITime.iso(c.ts), c.open, c.high, c.low, c.close, c.vol, c.volCcy, c.volCcyQuote, c.confirmed ? "1" : "0"]
                        })
    }
}

/// Times on the command line: dates, ISO 8601 times (UTC when no offset) or Unix ms.
enum CLITime {
    static func parseMs(_ text: String) -> Int64? {
        if let ms = Int64(text) { return ms }
        var t = text
        if t.range(of: #"^\d{4}-\d{2}-\d{2}$"#, options: .regularExpression) != nil { t += "T00:00:00Z" }
        else if t.range(of: #"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}$"#, options: .regularExpression) != nil { t += ":00Z" }
        else if t.range(of: #"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}$"#, options: .regularExpression) != nil { t += "Z" }
        t = t.replacingOccurrences(of: " ", with: "T")
        let f = ISO8601DateFormatter()
        if let d = f.date(from: t) { return Int64((d.timeIntervalSince1970 * 1000).rounded()) }
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let d = f.date(from: t) { return Int64((d.timeIntervalSince1970 * 1000).rounded()) }
        return nil
    }

    static func iso(_ ms: Int64) -> String {
        let f = ISO8601DateFormatter()
        return f.string(from: Date(timeIntervalSince1970: Double(ms) / 1000))
    }

    /// The normalized payload form: "2024-01-01T00:00:00Z".
    static func payload(_ ms: Int64) -> String { iso(ms) }
}
