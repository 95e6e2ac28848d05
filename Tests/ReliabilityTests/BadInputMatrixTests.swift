import Foundation
import Postgres
import Testing
import TestSupport

/// The bad-input matrix: malformed job rows, strategy params and watchlist rows inserted with psql
/// under a login granted candlestack_operator, each refused with the expected SQLSTATE, and
/// nothing half-written left behind.
@Suite("Reliability: bad input from psql")
struct BadInputMatrixTests {
    struct Case: Sendable {
        var name: String
        var sql: String
        var sqlState: String
    }

    static func job(_ kind: String, _ payload: String) -> String {
        "insert into queue.jobs (kind, payload) values ('\(kind)', '\(payload)')"
    }

    static func backtest(_ extra: String) -> String {
        job("backtest", #"{"inst_id": "BTC-USDT", "bar": "1m", "from": "2024-01-01", "to": "2024-02-01", "engine": "sma_cross", "params": {"fast": 10, "slow": 30}\#(extra)}"#)
    }

    static func strategy(_ engine: String, _ params: String) -> String {
        "insert into backtest.strategies (name, engine, params) values ('bad-\(engine)', '\(engine)', '\(params)')"
    }

    static let optimizeBase = #""inst_id": "BTC-USDT", "bar": "1m", "from": "2024-01-01", "to": "2024-02-01", "engine": "sma_cross""#

    static let cases: [Case] = [
        // The queue and the noop kind
        Case(name: "unknown kind", sql: job("nope", "{}"), sqlState: "22023"),
        Case(name: "payload is not an object", sql: job("noop", "[1, 2]"), sqlState: "22023"),
        Case(name: "noop sleep_ms not a number", sql: job("noop", #"{"sleep_ms": "ten"}"#), sqlState: "22023"),
        Case(name: "noop sleep_ms negative", sql: job("noop", #"{"sleep_ms": -1}"#), sqlState: "22023"),
        Case(name: "noop sleep_ms above an hour", sql: job("noop", #"{"sleep_ms": 3600001}"#), sqlState: "22023"),
        Case(name: "noop unknown field", sql: job("noop", #"{"sleep": 1}"#), sqlState: "22023"),
        Case(name: "noop fail not a boolean", sql: job("noop", #"{"fail": "yes"}"#), sqlState: "22023"),
        Case(name: "priority out of range", sql: "insert into queue.jobs (kind, payload, priority) values ('noop', '{}', 5000)", sqlState: "23514"),
        Case(name: "max_attempts zero", sql: "insert into queue.jobs (kind, payload, max_attempts) values ('noop', '{}', 0)", sqlState: "23514"),
        Case(name: "operator sets status directly", sql: "insert into queue.jobs (kind, payload, status) values ('noop', '{}', 'succeeded')", sqlState: "42501"),
        Case(name: "operator updates a job", sql: "update queue.jobs set status = 'failed'", sqlState: "42501"),
        Case(name: "operator deletes jobs", sql: "delete from queue.jobs", sqlState: "42501"),
        Case(name: "schedule of an unknown kind", sql: "insert into queue.schedules (name, kind, payload, every) values ('s', 'nope', '{}', '1 hour')", sqlState: "22023"),
        Case(name: "schedule every zero", sql: "insert into queue.schedules (name, kind, payload, every) values ('s', 'noop', '{}', '0 seconds')", sqlState: "23514"),
        Case(name: "schedule every one microsecond", sql: "insert into queue.schedules (name, kind, payload, every) values ('s', 'noop', '{}', '1 microsecond')", sqlState: "23514"),
        // backtest payloads
        Case(name: "backtest without inst_id", sql: job("backtest", #"{"bar": "1m", "from": "2024-01-01", "to": "2024-02-01", "strategy": "x"}"#), sqlState: "22023"),
        Case(name: "backtest malformed inst_id", sql: job("backtest", #"{"inst_id": "btc usdt", "bar": "1m", "from": "2024-01-01", "to": "2024-02-01", "strategy": "x"}"#), sqlState: "22023"),
        Case(name: "backtest bad bar", sql: job("backtest", #"{"inst_id": "BTC-USDT", "bar": "7m", "from": "2024-01-01", "to": "2024-02-01", "strategy": "x"}"#), sqlState: "22023"),
        Case(name: "backtest unparsable from", sql: job("backtest", #"{"inst_id": "BTC-USDT", "bar": "1m", "from": "early 2024", "to": "2024-02-01", "strategy": "x"}"#), sqlState: "22023"),
        Case(name: "backtest from after to", sql: job("backtest", #"{"inst_id": "BTC-USDT", "bar": "1m", "from": "2024-03-01", "to": "2024-02-01", "strategy": "x"}"#), sqlState: "22023"),
        Case(name: "backtest unknown strategy", sql: job("backtest", #"{"inst_id": "BTC-USDT", "bar": "1m", "from": "2024-01-01", "to": "2024-02-01", "strategy": "no-such"}"#), sqlState: "22023"),
        Case(name: "backtest unknown engine", sql: job("backtest", #"{"inst_id": "BTC-USDT", "bar": "1m", "from": "2024-01-01", "to": "2024-02-01", "engine": "magic", "params": {}}"#), sqlState: "22023"),
        Case(name: "backtest fast >= slow", sql: job("backtest", #"{"inst_id": "BTC-USDT", "bar": "1m", "from": "2024-01-01", "to": "2024-02-01", "engine": "sma_cross", "params": {"fast": 30, "slow": 10}}"#), sqlState: "22023"),
        Case(name: "backtest fast zero", sql: job("backtest", #"{"inst_id": "BTC-USDT", "bar": "1m", "from": "2024-01-01", "to": "2024-02-01", "engine": "sma_cross", "params": {"fast": 0, "slow": 10}}"#), sqlState: "22023"),
        Case(name: "backtest fast not an integer", sql: job("backtest", #"{"inst_id": "BTC-USDT", "bar": "1m", "from": "2024-01-01", "to": "2024-02-01", "engine": "sma_cross", "params": {"fast": 1.5, "slow": 10}}"#), sqlState: "22023"),
        Case(name: "backtest unknown param", sql: job("backtest", #"{"inst_id": "BTC-USDT", "bar": "1m", "from": "2024-01-01", "to": "2024-02-01", "engine": "sma_cross", "params": {"fast": 5, "slow": 10, "speed": 3}}"#), sqlState: "22023"),
        Case(name: "backtest fee_rate too high", sql: backtest(#", "fee_rate": 0.5"#), sqlState: "22023"),
        Case(name: "backtest negative slippage", sql: backtest(#", "slippage_bps": -1"#), sqlState: "22023"),
        Case(name: "backtest zero capital", sql: backtest(#", "capital": 0"#), sqlState: "22023"),
        Case(name: "backtest negative lot size", sql: backtest(#", "lot_size": -0.1"#), sqlState: "22023"),
        Case(name: "backtest strategy and engine both", sql: backtest(#", "strategy": "x""#), sqlState: "22023"),
        // optimize and walk_forward payloads
        Case(name: "optimize empty grid", sql: job("optimize", #"{\#(optimizeBase), "grid": {}, "objective": "sharpe"}"#), sqlState: "22023"),
        Case(name: "optimize grid value not a number", sql: job("optimize", #"{\#(optimizeBase), "grid": {"fast": ["a"], "slow": [30]}, "objective": "sharpe"}"#), sqlState: "22023"),
        Case(name: "optimize empty value list", sql: job("optimize", #"{\#(optimizeBase), "grid": {"fast": [], "slow": [30]}, "objective": "sharpe"}"#), sqlState: "22023"),
        Case(name: "optimize unknown objective", sql: job("optimize", #"{\#(optimizeBase), "grid": {"fast": [5], "slow": [30]}, "objective": "luck"}"#), sqlState: "22023"),
        Case(name: "optimize negative min_trades", sql: job("optimize", #"{\#(optimizeBase), "grid": {"fast": [5], "slow": [30]}, "objective": "sharpe", "min_trades": -1}"#), sqlState: "22023"),
        Case(name: "walk_forward unparsable train", sql: job("walk_forward", #"{\#(optimizeBase), "grid": {"fast": [5], "slow": [30]}, "objective": "sharpe", "train": "banana", "test": "7 days", "mode": "rolling"}"#), sqlState: "22023"),
        Case(name: "walk_forward zero test", sql: job("walk_forward", #"{\#(optimizeBase), "grid": {"fast": [5], "slow": [30]}, "objective": "sharpe", "train": "30 days", "test": "0 days", "mode": "rolling"}"#), sqlState: "22023"),
        Case(name: "walk_forward bad mode", sql: job("walk_forward", #"{\#(optimizeBase), "grid": {"fast": [5], "slow": [30]}, "objective": "sharpe", "train": "30 days", "test": "7 days", "mode": "sideways"}"#), sqlState: "22023"),
        // strategy params
        Case(name: "strategy rsi lower >= upper", sql: strategy("rsi_reversion", #"{"period": 14, "lower": 70, "upper": 30}"#), sqlState: "23514"),
        Case(name: "strategy rsi upper 100", sql: strategy("rsi_reversion", #"{"period": 14, "lower": 30, "upper": 100}"#), sqlState: "23514"),
        Case(name: "strategy bollinger k zero", sql: strategy("bollinger_breakout", #"{"period": 20, "k": 0}"#), sqlState: "23514"),
        Case(name: "strategy macd fast >= slow", sql: strategy("macd_cross", #"{"fast": 26, "slow": 12, "signal": 9}"#), sqlState: "23514"),
        Case(name: "strategy donchian entry zero", sql: strategy("donchian_breakout", #"{"entry": 0, "exit": 10}"#), sqlState: "23514"),
        Case(name: "strategy stop loss 150%", sql: strategy("sma_cross", #"{"fast": 5, "slow": 20, "stop_loss_pct": 150}"#), sqlState: "23514"),
        Case(name: "strategy allow_short not boolean", sql: strategy("sma_cross", #"{"fast": 5, "slow": 20, "allow_short": "maybe"}"#), sqlState: "23514"),
        Case(name: "strategy unknown param", sql: strategy("ema_cross", #"{"fast": 5, "slow": 20, "gamma": 1}"#), sqlState: "23514"),
        Case(name: "strategy unknown engine", sql: strategy("magic", "{}"), sqlState: "23514"),
        Case(name: "strategy missing param", sql: strategy("sma_cross", #"{"fast": 5}"#), sqlState: "23514"),
        // watchlist and market data
        Case(name: "watchlist bad bar", sql: "insert into market.watchlist (inst_id, bar, history_from) values ('BTC-USDT', '7m', now())", sqlState: "23514"),
        Case(name: "watchlist malformed inst_id", sql: "insert into market.watchlist (inst_id, bar, history_from) values ('BTC_USDT', '1m', now())", sqlState: "23514"),
        Case(name: "operator writes candles", sql: "insert into market.candles (inst_id, bar, ts, open, high, low, close, volume, volume_ccy, volume_quote) values ('BTC-USDT', '1m', '2024-01-01', 1, 1, 1, 1, 1, 1, 1)", sqlState: "42501"),
        Case(name: "operator alters a function", sql: "create or replace function queue.retry_delay(attempts integer) returns interval language sql as 'select interval ''0'''", sqlState: "42501"),
    ]

    @Test func everyMalformedRowIsRefusedWithItsSQLState() throws {
        let conninfo = try TestCluster.shared.createMigratedDatabase()
        let admin = try Connection(conninfo)
        let login = "operator_\(getpid())_\(Int.random(in: 0..<1_000_000))"
        try admin.executeScript("create role \(Connection.quoteIdentifier(login)) login in role candlestack_operator")
        defer { _ = try? admin.executeScript("drop owned by \(Connection.quoteIdentifier(login)); drop role \(Connection.quoteIdentifier(login))") }
        let before = try admin.query("select (select count(*) from queue.jobs) + (select count(*) from backtest.strategies) + (select count(*) from market.watchlist) as n").first?.int("n")
        var wrong: [String] = []
        let psql = FileManager.default.fileExists(atPath: "/usr/bin/psql") ? "/usr/bin/psql" : "/usr/lib/postgresql/15/bin/psql"
        for c in Self.cases {
            let out = try Shell.run(psql, ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-v", "VERBOSITY=verbose",
                                           "-d", "\(conninfo) user=\(login)", "-c", "\\set VERBOSITY verbose", "-c", c.sql], check: false)
            let state = out.stderr.range(of: #"ERROR:  ([0-9A-Z]{5}):"#, options: .regularExpression)
                .map { String(out.stderr[$0].dropFirst(8).prefix(5)) }
            if out.status == 0 || state != c.sqlState {
                wrong.append("\(c.name): expected \(c.sqlState), got \(state ?? "success") \(out.stderr.prefix(160))")
            }
        }
        let after = try admin.query("select (select count(*) from queue.jobs) + (select count(*) from backtest.strategies) + (select count(*) from market.watchlist) as n").first?.int("n")
        print("bad input: \(Self.cases.count) malformed rows from psql as a candlestack_operator login, \(Self.cases.count - wrong.count) refused with the expected SQLSTATE, \(wrong.count) not, \((after ?? 0) - (before ?? 0)) rows kept")
        #expect(Self.cases.count >= 40)
        #expect(wrong.isEmpty, "\(wrong.joined(separator: "\n"))")
        #expect(after == before)
    }
}
