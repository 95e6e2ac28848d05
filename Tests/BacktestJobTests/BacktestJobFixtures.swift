import Backtest
import Foundation
import Logging
import Postgres
import TestSupport
import Worker

/// A migrated database with deterministic 1m candles (a sine wave on a trend) and helpers to run
/// backtest jobs through their handlers.
struct BacktestFixture {
    let conninfo: String
    let database: Database
    static let inst = "BTC-USDT"

    /// `minutes` 1m candles from 2024-01-01 of BTC-USDT, generated in SQL.
    init(minutes: Int = 20_000) throws {
        conninfo = try TestCluster.shared.createMigratedDatabase()
        database = Database(conninfo: conninfo, applicationName: "backtest-job-tests")
        let c = try Connection(conninfo)
        defer { c.close() }
        _ = try c.query("select market.ensure_candle_partitions('2024-01-01Z', '2024-01-01Z'::timestamptz + make_interval(mins => $1))", [minutes])
        _ = try c.query("""
            insert into market.candles (inst_id, bar, ts, open, high, low, close, volume)
            select $1, '1m', ts, round(o::numeric, 6), round((greatest(o, c) * 1.001)::numeric, 6),
                   round((least(o, c) * 0.999)::numeric, 6), round(c::numeric, 6), 1
              from (select '2024-01-01Z'::timestamptz + make_interval(mins => i) as ts,
                           100 + 10 * sin(i / 200.0) + 3 * sin(i / 37.0) + i * 0.0005 as o,
                           100 + 10 * sin((i + 1) / 200.0) + 3 * sin((i + 1) / 37.0) + (i + 1) * 0.0005 as c
                      from generate_series(0, $2 - 1) as i) as s
            """, [Self.inst, minutes])
    }

    func connect() throws -> Connection { try Connection(conninfo) }

    /// The same candles read with a plain query (independent of CandleLoader).
    func candles(from: String = "2024-01-01Z", to: String = "2025-01-01Z", inst: String = BacktestFixture.inst) throws -> Candles {
        let c = try connect()
        defer { c.close() }
        let rows = try c.query("""
            select (extract(epoch from ts) * 1000)::int8 as t, open::float8 as o, high::float8 as h, low::float8 as l,
                   close::float8 as c, volume::float8 as v
              from market.candles where inst_id = $1 and bar = '1m' and ts >= $2::timestamptz and ts < $3::timestamptz
             order by ts
            """, [inst, from, to]).rows()
        return try Candles(time: try rows.map { try $0.int64("t")! }, open: try rows.map { try $0.double("o")! },
                           high: try rows.map { try $0.double("h")! }, low: try rows.map { try $0.double("l")! },
                           close: try rows.map { try $0.double("c")! }, volume: try rows.map { try $0.double("v")! })
    }

    /// Enqueues a job, claims it as a worker would and runs it through `handler`.
    func run(_ handler: any JobHandler, payload: String) async throws -> (jobID: Int64, result: [String: Any]) {
        let c = try connect()
        defer { c.close() }
        _ = try c.query("select id from queue.enqueue($1, $2::jsonb)", [handler.kind, payload])
        guard let row = try c.query("select id, kind, payload::text as payload, attempts, max_attempts, parent_id from queue.claim('test-worker', array[$1], 1, '5 minutes')", [handler.kind]).first else {
            throw PostgresError(kind: .client, message: "nothing claimed")
        }
        let job = Job(id: try row.int64("id")!, kind: try row.string("kind")!, payloadJSON: try row.string("payload")!,
                      attempt: try row.int("attempts") ?? 1, maxAttempts: try row.int("max_attempts") ?? 3,
                      parentID: try row.int64("parent_id"))
        var logger = Logger(label: "backtest-job-tests")
        logger.logLevel = .warning
        let context = JobContext(job: job, database: database, logger: logger, workerID: "test-worker")
        let out = try await handler.run(job, context)
        let object = try JSONSerialization.jsonObject(with: Data((out?.text ?? "{}").utf8)) as? [String: Any] ?? [:]
        return (job.id, object)
    }

    func scalar(_ sql: String, _ params: [any SQLParameter] = []) throws -> String? {
        let c = try connect()
        defer { c.close() }
        return try c.query(sql, params).first?.string(0)
    }
}

func approx(_ a: Double?, _ b: Double?, _ tol: Double = 1e-9) -> Bool {
    switch (a, b) {
    case (nil, nil): return true
    case let (x?, y?): return abs(x - y) <= tol * max(1, abs(x), abs(y))
    default: return false
    }
}
