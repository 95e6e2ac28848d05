// A month that has no partition yet, written while a long reader holds market.candles open: the
// partition is attached (SHARE UPDATE EXCLUSIVE), so neither the writer nor a second reader waits
// for the long reader. With CREATE TABLE ... PARTITION OF (ACCESS EXCLUSIVE) the writer queues
// behind the long reader and every later reader queues behind the writer: the second reader's
// statement_timeout then fails the test (no timing assertion: the timeout is the failure signal).

import Foundation
import Postgres
import TestSupport
import Testing

@Suite struct PartitionAttachReaderTests {
    @Test func aNewMonthDoesNotQueueReadersBehindALongReader() async throws {
        let conninfo = try TestCluster.shared.createMigratedDatabase()
        let longReader = try Connection(conninfo, applicationName: "long-reader")
        let writer = try Connection(conninfo, applicationName: "partition-writer")
        let reader = try Connection(conninfo, applicationName: "second-reader")
        defer { longReader.close(); writer.close(); reader.close() }

        // The long reader: a transaction that has read market.candles and stays open (ACCESS SHARE).
        let longReaderPID = try #require(try longReader.query("select pg_backend_pid() as pid").first?.int("pid"))
        _ = try longReader.query("begin")
        _ = try longReader.query("select count(*) as n from market.candles")

        // The writer: a backfill batch into 1997, a month nobody made; bounded, so a blocked writer ends.
        _ = try writer.query("set statement_timeout = '15s'")
        let writerPID = try #require(try writer.query("select pg_backend_pid() as pid").first?.int("pid"))
        let outcome = WriterOutcome()
        let finished = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            defer { finished.signal() }
            do {
                _ = try writer.query("select market.create_candle_staging()")
                _ = try writer.query("""
                    insert into pg_temp.candle_staging
                    select 'BTC-USDT', '1m', timestamptz '1997-03-01 00:00Z' + i * interval '1 minute', 1, 1, 1, 1, 1, 1, 1, true
                      from generate_series(0, 59) as i
                    """)
                let r = try writer.query("select inserted from market.upsert_candles()")
                outcome.set(.success(try r.first?.int("inserted") ?? -1))
            } catch {
                outcome.set(.failure(error))
            }
        }

        // Start the second reader once the writer is done or waits on a lock (its DDL was issued).
        while outcome.get() == nil {
            let waiting = try reader.query("""
                select count(*)::int as n from pg_stat_activity where pid = $1 and wait_event_type = 'Lock'
                """, [writerPID]).first?.int("n") ?? 0
            if waiting > 0 { break }
            try await Task.sleep(for: .milliseconds(10))
        }
        _ = try reader.query("set statement_timeout = '3s'")
        var secondReaderError: (any Error)?
        do {
            _ = try reader.query("select count(*) as n from market.candles where ts >= '1997-01-01' and ts < '1998-01-01'")
        } catch {
            secondReaderError = error
        }
        #expect(secondReaderError == nil, "the second reader did not answer while the long reader was open: \(String(describing: secondReaderError))")

        // The writer finished (or hit its own statement_timeout) while the long reader is still open.
        while finished.wait(timeout: .now()) == .timedOut { try await Task.sleep(for: .milliseconds(10)) }
        switch outcome.get() {
        case .success(let inserted): #expect(inserted == 60, "the backfill into 1997 stored \(inserted) of 60 candles")
        case .failure(let error): Issue.record("the backfill into a new month failed behind the long reader: \(error)")
        case nil: Issue.record("the writer ended without an outcome")
        }
        let open = try reader.query("""
            select count(*)::int as n from pg_stat_activity where pid = $1 and state = 'idle in transaction'
            """, [longReaderPID]).first?.int("n")
        #expect(open == 1, "the long reader's transaction was still open throughout")
        _ = try longReader.query("commit")
    }
}

/// The writer thread's result, read from the test's task.
final class WriterOutcome: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Result<Int, any Error>?
    func set(_ v: Result<Int, any Error>) { lock.withLock { value = v } }
    func get() -> Result<Int, any Error>? { lock.withLock { value } }
}
