import Foundation
import Logging
import Postgres

extension WorkerRuntime {
    /// Renews the leases of held jobs every third of the lease, learns of cancellations and of
    /// jobs this worker no longer holds, and keeps queue.workers.last_seen fresh. On a connection
    /// of its own, outside the pool, so handlers holding every pooled connection (or waiting on
    /// locks) never delay a renewal; reopened after a connection problem.
    func heartbeatLoop() async {
        let interval = configuration.lease / 3
        var connection: AsyncConnection?
        while !Task.isCancelled {
            try? await Task.sleep(for: interval)
            if Task.isCancelled { break }
            if connection?.isOpen != true {
                if let stale = connection { await stale.close() }
                do { connection = try await database.connect() } catch {
                    connection = nil
                    outage.failed(error, during: "heartbeat")
                    continue
                }
            }
            if let connection { await heartbeatOnce(on: connection) }
        }
        await connection?.close()
    }

    /// One renewal; `database` is the heartbeat's own connection.
    func heartbeatOnce(on database: AsyncConnection) async {
        let held = state.runningAttempts
        let ids = held.map(\.id)
        do {
            if ids.isEmpty {
                try await database.query("select queue.worker_seen($1)", [configuration.workerID])
                return
            }
            // Fenced per attempt: a job claimed again since (even by this worker id) is not returned.
            let rows = try await database.query("select job_id, cancel_requested from queue.heartbeat($1, $2, $3, $4::interval)",
                                                [configuration.workerID, ids, held.map(\.attempt), configuration.lease.sqlInterval])
            var extended = Set<Int64>()
            for row in rows.rows() {
                let id = try row.required("job_id", row.int64)
                extended.insert(id)
                if try row.bool("cancel_requested") == true { cancelRequested(id) }
            }
            for id in ids where !extended.contains(id) {
                state.markLost(id)?.markCancelled()
            }
        } catch let error as PostgresError where error.isConnectionProblem {
            outage.failed(error, during: "heartbeat")
        } catch {
            logger.error("heartbeat failed", metadata: ["error": .string(String(describing: error))])
        }
    }

    /// Every few seconds (jittered, so many workers spread out): return expired leases to the
    /// queue and enqueue due schedules. Safe with any number of workers doing the same.
    func maintenanceLoop() async {
        while !Task.isCancelled {
            let base = configuration.maintenanceInterval.milliseconds
            try? await Task.sleep(for: .milliseconds(Int(base * Double.random(in: 0.5...1.5))))
            if Task.isCancelled { return }
            do {
                let rescued = try await database.query("select queue.rescue_expired() as n").first?.int("n") ?? 0
                let due = try await database.query("select queue.enqueue_due() as n").first?.int("n") ?? 0
                if rescued > 0 { logger.notice("returned jobs with expired leases to the queue", metadata: ["jobs": .stringConvertible(rescued)]) }
                if due > 0 { logger.info("enqueued scheduled jobs", metadata: ["jobs": .stringConvertible(due)]) }
            } catch let error as PostgresError where error.isConnectionProblem {
                outage.failed(error, during: "maintenance")
            } catch {
                logger.error("maintenance failed", metadata: ["error": .string(String(describing: error))])
            }
        }
    }
}
