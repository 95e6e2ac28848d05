// market.upsert_candles from several sessions at once into a month that has no partition yet: each
// session either creates the partition or waits for the one that does; none deadlocks (40P01).

import Foundation
import Postgres
import TestSupport
import Testing

@Suite struct PartitionRaceTests {
    @Test func concurrentUpsertsIntoNewMonthsDoNotDeadlock() async throws {
        let conninfo = try TestCluster.shared.createMigratedDatabase()
        let sessions = 4, months = 25
        let connections = try (0..<sessions).map { _ in try Connection(conninfo, applicationName: "partition-race") }
        defer { for c in connections { c.close() } }
        let errors = LockedErrors()
        for month in 0..<months {
            // A month far from any other test's data: 2150-01, 2150-02, ...
            let monthStart = String(format: "%04d-%02d-01", 2150 + month / 12, month % 12 + 1)
            await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
                let group = DispatchGroup()
                for (i, c) in connections.enumerated() {
                    group.enter()
                    Thread.detachNewThread {
                        defer { group.leave() }
                        do {
                            _ = try c.query("select market.create_candle_staging()")
                            _ = try c.query("""
                                insert into pg_temp.candle_staging
                                values ('BTC-USDT', '1m', $1::timestamptz + $2::int * interval '1 minute', 1, 1, 1, 1, 1, 1, 1, true)
                                """, [monthStart, i])
                            _ = try c.query("select * from market.upsert_candles()")
                        } catch {
                            errors.append("\(monthStart) session \(i): \(error)")
                        }
                    }
                }
                group.notify(queue: .global()) { done.resume() }
            }
        }
        #expect(errors.all.isEmpty, "\(errors.all.count) upserts failed; the first: \(errors.all.first ?? "")")
        let check = try Connection(conninfo)
        defer { check.close() }
        let stored = try check.query("select count(*)::int as n from market.candles where ts >= '2150-01-01'").first?.int("n")
        #expect(stored == sessions * months)
    }
}

/// Errors collected from several threads.
final class LockedErrors: @unchecked Sendable {
    private let lock = NSLock()
    private var errors: [String] = []
    func append(_ error: String) { lock.withLock { errors.append(error) } }
    var all: [String] { lock.withLock { errors } }
}
