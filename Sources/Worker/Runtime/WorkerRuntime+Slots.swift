import Foundation
import Guarded
import Logging
import Postgres

extension WorkerRuntime {
    enum Outcome {
        case succeeded(JSONText?)
        case failed(String, retryable: Bool)
        case cancelled
        case timedOut(Duration)
        case release

        var name: String {
            switch self {
            case .succeeded: return "succeeded"
            case .failed, .timedOut: return "failed"
            case .cancelled: return "cancelled"
            case .release: return "released"
            }
        }
    }

    /// Starts a claimed job in a slot of its own (called on the dispatcher thread).
    func start(_ job: Job) {
        var jobLogger = logger
        jobLogger[metadataKey: "job.id"] = .stringConvertible(job.id)
        jobLogger[metadataKey: "job.kind"] = .string(job.kind)
        jobLogger[metadataKey: "job.attempt"] = .stringConvertible(job.attempt)
        let context = JobContext(job: job, database: database, logger: jobLogger, workerID: configuration.workerID)
        let handler = registry.handler(for: job.kind)
        let timeout = timeouts[job.kind]
        state.add(job, context: context)
        let task = Task {
            let started = ContinuousClock.now
            let outcome = await Self.execute(job, handler: handler, context: context, timeout: timeout)
            await self.finish(job, context: context, outcome: outcome, started: started)
        }
        state.setTask(job.id, task)
    }

    /// Runs the handler and turns what it did into an outcome. Never throws.
    static func execute(_ job: Job, handler: (any JobHandler)?, context: JobContext, timeout: Duration?) async -> Outcome {
        guard let handler else { return .failed("this worker has no handler for kind \(job.kind)", retryable: true) }
        let timedOut = Guarded<Bool>()
        let timer = timeout.map { limit in
            Task {
                try? await Task.sleep(for: limit)
                if !Task.isCancelled { timedOut.set(); context.markCancelled() }
            }
        }
        defer { timer?.cancel() }
        do {
            // In the job's CancelScope, so a cancel stops the statement the handler waits on; a
            // cancelled slot task (shutdown after the grace period) cancels it too.
            let result = try await withTaskCancellationHandler {
                try await CancelScope.$current.withValue(context.statements) { try await handler.run(job, context) }
            } onCancel: {
                context.statements.cancel()
            }
            return .succeeded(result)
        } catch is CancellationError {
            return .release
        } catch _ where context.isCancelled {
            // JobCancelled, or whatever the cancelled statement's error (57014) became in the handler.
            if Task.isCancelled { return .release }
            if timedOut.isSet, let timeout { return .timedOut(timeout) }
            return .cancelled
        } catch let failure as JobFailure {
            return .failed(failure.description, retryable: failure.isRetryable)
        } catch {
            return .failed(String(describing: error), retryable: true)
        }
    }

    /// Records the outcome with the queue's fenced functions, retrying through database outages
    /// until the lease would have expired anyway (then the job is rescued elsewhere).
    func finish(_ job: Job, context: JobContext, outcome: Outcome, started: ContinuousClock.Instant) async {
        let slot = state.slot(job.id)
        var outcome = outcome
        // A job interrupted by shutdown goes back to the queue unless it managed to succeed.
        if slot?.releasing == true {
            if case .succeeded = outcome {} else { outcome = .release }
        }
        let elapsed = (ContinuousClock.now - started).milliseconds
        let ms = Int(elapsed)
        let log = context.logger
        if slot?.lost == true {
            log.warning("job lease was lost while it ran; its outcome is discarded (another worker owns it now)", metadata: ["duration_ms": .stringConvertible(ms)])
        } else {
            switch outcome {
            case .succeeded(let result):
                state.count { $0.succeeded += 1 }
                if let effect = registry.handler(for: job.kind)?.completionEffect(for: job, workerID: configuration.workerID) {
                    await record(job, effect: effect, "select id from queue.complete($1, $2, $3, $4::jsonb)", [job.id, configuration.workerID, job.attempt, result])
                } else if let result {
                    await record(job, "select id from queue.complete($1, $2, $3, $4::jsonb)", [job.id, configuration.workerID, job.attempt, result])
                } else {
                    await completer.add(job.id, attempt: job.attempt)
                }
                log.info("job succeeded", metadata: ["outcome": "succeeded", "duration_ms": .stringConvertible(ms)])
            case .failed(let message, let retryable):
                state.count { $0.failed += 1 }
                await record(job, "select id from queue.fail($1, $2, $3, $4, $5)", [job.id, configuration.workerID, job.attempt, message, retryable])
                log.warning("job failed", metadata: ["outcome": "failed", "error": .string(message), "retryable": .stringConvertible(retryable), "duration_ms": .stringConvertible(ms)])
            case .timedOut(let limit):
                state.count { $0.failed += 1 }
                let message = "timed out after \(Int(limit.milliseconds / 1000)) s (queue.job_kinds.timeout)"
                await record(job, "select id from queue.fail($1, $2, $3, $4, $5)", [job.id, configuration.workerID, job.attempt, message, true])
                log.warning("job timed out", metadata: ["outcome": "failed", "error": .string(message), "duration_ms": .stringConvertible(ms)])
            case .cancelled:
                state.count { $0.cancelled += 1 }
                await record(job, "select id from queue.finish_cancelled($1, $2, $3)", [job.id, configuration.workerID, job.attempt])
                log.info("job cancelled", metadata: ["outcome": "cancelled", "duration_ms": .stringConvertible(ms)])
            case .release:
                state.count { $0.released += 1 }
                await record(job, "select id from queue.release($1, $2, $3)", [job.id, configuration.workerID, job.attempt])
                log.info("job released back to the queue", metadata: ["outcome": "released", "duration_ms": .stringConvertible(ms)])
            }
        }
        state.recordOutcome(kind: job.kind, outcome: slot?.lost == true ? "lost" : outcome.name, seconds: elapsed / 1000)
        state.remove(job.id)
        waker.wake()
    }

    /// Runs one fenced queue call; retries through connection problems for up to one lease. On the
    /// completer's own pool, so handlers holding the main pool never delay an outcome.
    func record(_ job: Job, effect: CompletionEffect? = nil, _ sql: String, _ parameters: [any SQLParameter]) async {
        let database = completer.database
        let deadline = ContinuousClock.now + (leases[job.kind] ?? configuration.lease)
        var backoff = Backoff()
        while true {
            do {
                if let effect {
                    _ = try await database.transaction { c in
                        try c.query(effect.sql, effect.parameters)
                        return try c.query(sql, parameters).count
                    }
                } else {
                    try await database.query(sql, parameters)
                }
                outage.restored()
                return
            } catch let error as PostgresError where error.isConnectionProblem && ContinuousClock.now < deadline {
                outage.failed(error, during: "recording job \(job.id)")
                try? await Task.sleep(for: backoff.next())
            } catch let error as PostgresError where error.sqlState == "55000" {
                logger.warning("the queue refused a late answer: the job is no longer ours",
                               metadata: ["job.id": .stringConvertible(job.id), "error": .string(error.message)])
                return
            } catch {
                logger.error("could not record a job's outcome; its lease will expire and it will be rescued",
                             metadata: ["job.id": .stringConvertible(job.id), "error": .string(String(describing: error))])
                return
            }
        }
    }

    /// Marks a job cancelled (from NOTIFY queue_cancel or a heartbeat answer).
    func cancelRequested(_ id: Int64) {
        guard let slot = state.slot(id) else { return }
        if !slot.context.isCancelled {
            slot.context.logger.info("cancellation requested")
            slot.context.markCancelled()
        }
    }
}
