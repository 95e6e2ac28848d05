import Foundation
import Postgres
#if canImport(Glibc)
import Glibc
#endif

/// What a worker holds right now: the running jobs, the stop flag and the totals. Shared by the
/// dispatcher thread, the slot tasks and the heartbeat, behind one lock.
final class RuntimeState: @unchecked Sendable {
    struct Running {
        let job: Job
        let context: JobContext
        var task: Task<Void, Never>?
        var releasing = false
        var lost = false
    }

    private let lock = NSLock()
    private var running: [Int64: Running] = [:]
    private var stopping = false
    private var totals = WorkerRuntime.Counters()
    private var byKind: [String: KindStats] = [:]

    /// Per-kind totals for metrics.
    struct KindStats: Sendable {
        var claimed = 0
        var outcomes: [String: Int] = [:]
        var durationSeconds = 0.0
        var finished = 0
    }

    var kindStats: [String: KindStats] { lock.withLock { byKind } }

    func recordOutcome(kind: String, outcome: String, seconds: Double) {
        lock.withLock {
            byKind[kind, default: KindStats()].outcomes[outcome, default: 0] += 1
            byKind[kind, default: KindStats()].durationSeconds += seconds
            byKind[kind, default: KindStats()].finished += 1
        }
    }

    var isStopping: Bool { lock.withLock { stopping } }
    func stop() { lock.withLock { stopping = true } }

    var runningCount: Int { lock.withLock { running.count } }
    /// The running jobs with the attempt each was claimed as (what the fenced queue calls take).
    var runningAttempts: [(id: Int64, attempt: Int)] { lock.withLock { running.values.map { ($0.job.id, $0.job.attempt) } } }
    var counters: WorkerRuntime.Counters { lock.withLock { totals } }

    func add(_ job: Job, context: JobContext) {
        lock.withLock {
            running[job.id] = Running(job: job, context: context)
            totals.claimed += 1
            byKind[job.kind, default: KindStats()].claimed += 1
        }
    }

    func setTask(_ id: Int64, _ task: Task<Void, Never>) {
        lock.withLock { running[id]?.task = task }
    }

    func slot(_ id: Int64) -> Running? { lock.withLock { running[id] } }

    func remove(_ id: Int64) { _ = lock.withLock { running.removeValue(forKey: id) } }

    func count(_ update: (inout WorkerRuntime.Counters) -> Void) { lock.withLock { update(&totals) } }

    /// Marks a job whose lease this worker lost (a heartbeat did not return it).
    func markLost(_ id: Int64) -> JobContext? {
        lock.withLock {
            running[id]?.lost = true
            return running[id]?.context
        }
    }

    /// Marks every running job for release and cancels its task (shutdown after the grace period).
    func releaseAll() -> [Int64] {
        lock.withLock {
            for id in running.keys {
                running[id]?.releasing = true
                running[id]?.task?.cancel()
            }
            return Array(running.keys)
        }
    }

    func removeAll() -> [Int64: Running] {
        lock.withLock {
            let all = running
            running.removeAll()
            return all
        }
    }
}

/// A self-pipe that interrupts the dispatcher's wait on its LISTEN socket.
final class Waker: @unchecked Sendable {
    let readFD: Int32
    let writeFD: Int32

    init() {
        var fds: [Int32] = [0, 0]
        _ = pipe(&fds)
        readFD = fds[0]
        writeFD = fds[1]
        _ = fcntl(readFD, F_SETFL, fcntl(readFD, F_GETFL) | O_NONBLOCK)
        _ = fcntl(writeFD, F_SETFL, fcntl(writeFD, F_GETFL) | O_NONBLOCK)
    }

    deinit {
        close(readFD)
        close(writeFD)
    }

    func wake() {
        var byte: UInt8 = 1
        _ = write(writeFD, &byte, 1)
    }

    /// Empties the pipe after a wake-up.
    func drain() {
        var buffer = [UInt8](repeating: 0, count: 256)
        while read(readFD, &buffer, buffer.count) > 0 {}
    }
}
