import ArgumentParser
import Foundation
import OKX
import Postgres

/// `candlestack backtest`: queue a backtest job, exactly the row a psql user would insert.
struct BacktestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backtest",
        abstract: "Queue a backtest job of one strategy over stored candles; prints the job id.",
        discussion: """
        Runs `select * from queue.enqueue('backtest', $1::jsonb)`; the job's validator \
        (backtest.validate_backtest) checks everything again. A worker runs it and stores the run in \
        backtest.runs; `candlestack report RUN --out run.html` renders it.
        Example: candlestack backtest --inst BTC-USDT --bar 1m --from 2024-01-01 --to 2024-02-01 \
        --engine sma_cross --param fast=10 --param slow=30
        """
    )

    @OptionGroup var database: DatabaseOptions

    @Option(name: .customLong("inst"), help: "Instrument id, e.g. BTC-USDT.", transform: SeriesInput.instrument)
    var inst: String
    @Option(name: .customLong("bar"), help: "Bar size, e.g. 1m or 1H (resampled from 1m when not stored).", transform: SeriesInput.bar)
    var bar: Bar = .m1
    @Option(name: .customLong("from"), help: "Start of the range, inclusive: 2024-01-01, 2024-01-01T00:00Z (UTC), Unix s or ms, now-30d.",
            transform: CLITime.parse)
    var from: CLITime
    @Option(name: .customLong("to"), help: "End of the range, exclusive; the same forms.", transform: CLITime.parse)
    var to: CLITime
    @Option(name: .customLong("strategy"), help: "Name of a strategy in backtest.strategies.")
    var strategy: String?
    @Option(name: .customLong("engine"), help: "Engine, one of backtest.engines (select * from bi.strategy_engines), e.g. sma_cross.")
    var engine: String?
    @Option(name: .customLong("param"), help: "Engine parameter NAME=VALUE (repeatable), e.g. fast=10; allow_short=true.")
    var params: [String] = []
    @Option(name: .customLong("fee-rate"), help: "Fee per fill as a fraction of notional, 0 <= x < 0.1 (default 0.001).")
    var feeRate: Double?
    @Option(name: .customLong("slippage-bps"), help: "Slippage in basis points, 0..1000 (default 0).")
    var slippageBps: Double?
    @Option(name: .customLong("capital"), help: "Starting capital in quote currency, > 0 (default 10000).")
    var capital: Double?
    @Option(name: .customLong("lot-size"), help: "Size step, > 0 (default: the instrument's lot size).")
    var lotSize: Double?

    func validate() throws {
        switch (strategy, engine) {
        case (nil, nil): throw ValidationError("give --strategy NAME or --engine ENGINE")
        case (.some, .some): throw ValidationError("give either --strategy or --engine, not both")
        case (.some, nil) where !params.isEmpty: throw ValidationError("--param goes with --engine, not --strategy")
        default: break
        }
        _ = try parsedParams()
        if let f = feeRate, !(f >= 0 && f < 0.1) { throw ValidationError("--fee-rate must be >= 0 and < 0.1, got \(f)") }
        if let s = slippageBps, !(s >= 0 && s <= 1000) { throw ValidationError("--slippage-bps must be from 0 to 1000, got \(s)") }
        if let c = capital, !(c > 0 && c.isFinite) { throw ValidationError("--capital must be > 0, got \(c)") }
        if let l = lotSize, !(l > 0 && l.isFinite) { throw ValidationError("--lot-size must be > 0, got \(l)") }
    }

    /// --param NAME=VALUE pairs as JSON values (numbers; true/false for allow_short).
    func parsedParams() throws -> [String: Any] {
        var out: [String: Any] = [:]
        for p in params {
            let parts = p.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty else { throw ValidationError("--param must be NAME=VALUE, got \"\(p)\"") }
            let (name, value) = (parts[0], parts[1])
            if out[name] != nil { throw ValidationError("--param \(name) is given twice") }
            if value == "true" || value == "false" { out[name] = value == "true" }
            else if let i = Int64(value) { out[name] = i }
            else if let d = Double(value), d.isFinite { out[name] = d }
            else { throw ValidationError("--param \(name) must be a number (or true/false), got \"\(value)\"") }
        }
        return out
    }

    func payload() throws -> [String: Any] {
        var p: [String: Any] = ["inst_id": inst, "bar": bar.rawValue, "from": from.iso, "to": to.iso]
        if let strategy { p["strategy"] = strategy }
        if let engine { p["engine"] = engine; p["params"] = try parsedParams() }
        if let feeRate { p["fee_rate"] = feeRate }
        if let slippageBps { p["slippage_bps"] = slippageBps }
        if let capital { p["capital"] = capital }
        if let lotSize { p["lot_size"] = lotSize }
        return p
    }

    /// The engines backtest.engines holds (the one list), to name --engine in the refusal.
    static let enginesQuery = "select array_to_string(backtest.engines(), ', ') as engines, $1 = any (backtest.engines()) as known"

    func run() throws {
        let connection = try database.connect()
        defer { connection.close() }
        do {
            if let engine, let row = try connection.query(Self.enginesQuery, [engine]).first, try row.bool("known") != true {
                throw CLIError("--engine must be one of \(try row.string("engines") ?? ""), got \"\(engine)\"")
            }
            let row = try connection.query("select id from queue.enqueue('backtest', $1::jsonb)", [try JSONText(object: payload())]).first
            print(try row?.string("id") ?? "")
        } catch let error as PostgresError {
            throw CLIError(error.description)
        }
    }
}
