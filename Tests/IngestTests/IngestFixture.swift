// IngestFixture: one migrated database and one okx-sim per test, and a way to run one job
// through its handler (enqueue, claim, run) without the worker runtime.

import CivilTime
import Foundation
import Logging
import OKX
import Postgres
import TestSupport
import Testing
@testable import Worker

/// Fixed instants so that okx-sim answers the same way every run.
enum SimTime {
    /// okx-sim --from
    static let from = "2024-01-01"
    /// okx-sim --now: 2024-03-10T12:34:56Z
    static let nowMs: Int64 = 1_710_074_096_000
    static let dayMs: Int64 = 86_400_000
    static let minuteMs: Int64 = 60_000
    /// 2024-03-01T00:00:00Z
    static let march1: Int64 = 1_709_251_200_000

    static func iso(_ ms: Int64) -> String { UTCTime.iso(ms: ms) }
}

final class IngestFixture: @unchecked Sendable {
    let conninfo: String
    let sim: OKXSimProcess
    let database: Database
    let okx: OKXClient
    let logger: Logger
    let rateKey: String

    private init(conninfo: String, sim: OKXSimProcess, database: Database, okx: OKXClient, logger: Logger, rateKey: String) {
        self.conninfo = conninfo; self.sim = sim; self.database = database; self.okx = okx
        self.logger = logger; self.rateKey = rateKey
    }

    /// - Parameters:
    ///   - scale: okx-sim's --rate-limit-scale, matched by the database limiter's scale.
    ///   - requestTimeout: the OKX client's per-request timeout.
    ///   - marginMs: the limiter's safety margin. Tests that run at OKX's real limits widen it:
    ///     the test machine is shared and loaded, and a request can reach okx-sim long after its
    ///     grant (the benchmark keeps the default 100 ms).
    static func make(seed: UInt64 = 7, scale: Double = 10, marginMs: Int = 100, faults: String? = nil,
                     requestTimeout: Duration = .seconds(10), extraSimArguments: [String] = []) async throws -> IngestFixture {
        let conninfo = try TestCluster.shared.createMigratedDatabase()
        let sim = try await OKXSimProcess.start(seed: seed, from: SimTime.from, nowMs: SimTime.nowMs,
                                                rateLimitScale: scale, faults: faults, extraArguments: extraSimArguments)
        var logger = Logger(label: "ingest-tests")
        logger.logLevel = .warning
        let database = Database(conninfo: conninfo, applicationName: "ingest-tests")
        let rateKey = "test-\(UUID().uuidString.prefix(8))"
        let limiter = DatabaseRateLimiter(database: database, rateKey: rateKey, scale: scale, marginMs: marginMs, logger: logger)
        let okx = OKXClient(configuration: OKXConfiguration(
                                baseURL: sim.baseURL, requestTimeout: requestTimeout,
                                retryPolicy: OKXRetryPolicy(maxAttempts: 8, maxTotalMs: 20_000, baseDelayMs: 20, maxDelayMs: 200),
                                rateLimiter: limiter),
                            logger: logger)
        return IngestFixture(conninfo: conninfo, sim: sim, database: database, okx: okx, logger: logger, rateKey: rateKey)
    }

    func close() async {
        sim.stop()
        await database.drain()
    }

    func handler(_ kind: String) -> any JobHandler {
        ingestHandlers(okx: okx).first { $0.kind == kind }!
    }

    /// Enqueues a job (through queue.enqueue, as psql would) and claims it as "test-worker".
    func enqueueAndClaim(_ kind: String, _ payload: String, uniqueKey: String? = nil) async throws -> (Job, JobContext) {
        try await database.query("select id from queue.enqueue($1, $2::jsonb, unique_key => $3)",
                                 [kind, JSONText(payload), uniqueKey])
        let r = try await database.query("select * from queue.claim('test-worker', array[$1], 1, '5 minutes')", [kind])
        let row = try #require(r.first)
        let job = Job(id: try row.required("id", row.int64), kind: kind, payloadJSON: try row.string("payload") ?? "{}",
                      attempt: try row.int("attempts") ?? 1, maxAttempts: try row.int("max_attempts") ?? 1,
                      parentID: try row.int64("parent_id"))
        return (job, JobContext(job: job, database: database, logger: logger, workerID: "test-worker"))
    }

    /// Runs one job through its handler, retrying (as the queue would) up to `attempts` times.
    /// Returns the result, or the last error.
    func run(_ kind: String, _ payload: String, attempts: Int = 1) async throws -> Result<String?, any Error> {
        let (job, context) = try await enqueueAndClaim(kind, payload)
        var last: (any Error)? = nil
        for _ in 0..<attempts {
            do {
                return .success(try await handler(kind).run(job, context)?.text)
            } catch {
                last = error
                if let failure = error as? JobFailure, !failure.isRetryable { break }
            }
        }
        return .failure(last!)
    }

    /// Stored candles of a series in [fromMs, toMs), oldest first, as OKX-like rows of text.
    func stored(_ instId: String, _ bar: String, fromMs: Int64, toMs: Int64) async throws -> [[String]] {
        let r = try await database.query("""
            select (extract(epoch from c.ts) * 1000)::bigint::text as ts, c.open::text, c.high::text, c.low::text,
                   c.close::text, c.volume::text, c.volume_ccy::text, c.volume_quote::text,
                   case when c.confirmed then '1' else '0' end as confirm
              from market.candles as c
             where c.inst_id = $1 and c.bar = $2 and c.ts >= $3::timestamptz and c.ts < $4::timestamptz
             order by c.ts
            """, [instId, bar, UTCTime.sqlText(ms: fromMs), UTCTime.sqlText(ms: toMs)])
        return r.rows().map { row in (0..<9).map { row.string($0) ?? "NULL" } }
    }

    func count(_ instId: String, _ bar: String) async throws -> Int {
        let r = try await database.query("select count(*)::int as n from market.candles where inst_id = $1 and bar = $2",
                                         [instId, bar])
        return try r.first?.int("n") ?? 0
    }

    func gapCount(_ instId: String, _ bar: String, fromMs: Int64, toMs: Int64) async throws -> Int {
        let r = try await database.query(
            "select count(*)::int as n from market.gaps($1, $2, $3::timestamptz, $4::timestamptz)",
            [instId, bar, UTCTime.sqlText(ms: fromMs), UTCTime.sqlText(ms: toMs)])
        return try r.first?.int("n") ?? 0
    }

    /// Candle requests okx-sim answered (both candle endpoints), from /sim/stats.
    func candleRequests() async throws -> [[String: Any]] {
        (try await sim.stats()["candleRequests"] as? [[String: Any]]) ?? []
    }

    func refusedTotal() async throws -> Int {
        let endpoints = (try await sim.stats()["endpoints"] as? [String: Any]) ?? [:]
        return endpoints.values.reduce(0) { $0 + ((($1 as? [String: Any])?["refused"] as? Int) ?? 0) }
    }
}

func backfillPayload(_ instId: String, _ bar: String, _ fromMs: Int64, _ toMs: Int64) -> String {
    #"{"inst_id":"\#(instId)","bar":"\#(bar)","from":"\#(SimTime.iso(fromMs))","to":"\#(SimTime.iso(toMs))"}"#
}
