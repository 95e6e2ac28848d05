import Foundation
import Postgres
#if canImport(Glibc)
import Glibc
#endif

/// A `candlestack worker` process started by a test, with its JSON log in a file.
public final class WorkerProcess: @unchecked Sendable {
    public let pid: pid_t
    public let logPath: String
    private var exited: Int32?

    /// Starts `candlestack worker --database-url CONNINFO ARGS...`.
    public init(conninfo: String, _ arguments: [String] = [], environment: [String: String] = [:]) throws {
        logPath = FileManager.default.temporaryDirectory.appendingPathComponent("worker-\(UUID().uuidString).log").path
        pid = try Shell.spawn(Paths.executable("candlestack"), ["worker", "--database-url", conninfo] + arguments,
                              environment: environment, stdout: logPath, stderr: logPath)
    }

    public func signal(_ sig: Int32) { kill(pid, sig) }

    /// Waits for the process to exit and returns its status (128+signal when killed). Polls with
    /// Task.sleep rather than blocking in waitpid, so it never holds a cooperative thread.
    @discardableResult
    public func wait() async -> Int32 {
        while true {
            if let exited { return exited }
            if let status = Shell.poll(pid) { exited = status; return status }
            try? await Task.sleep(for: .milliseconds(10))
        }
    }

    public func kill9() async { signal(SIGKILL); await wait() }

    public var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    deinit {
        if exited == nil { Glibc.kill(pid, SIGKILL); _ = Shell.wait(pid) }
        unlink(logPath)
    }
}

/// Polls a condition until it holds or the deadline passes (a bound on waiting, not a timing
/// assertion). Sleeps with Task.sleep, so waiting never holds one of the few cooperative threads.
public func eventually(timeout: Duration = .seconds(30), every: Duration = .milliseconds(50),
                       _ condition: () throws -> Bool) async throws -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try condition() { return true }
        try await Task.sleep(for: every)
    }
    return try condition()
}

/// Sleeps without holding a thread (tests' replacement for Thread.sleep).
public func pause(_ seconds: Double) async {
    try? await Task.sleep(for: .milliseconds(Int(seconds * 1000)))
}
