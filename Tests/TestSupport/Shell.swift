import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs a program and collects its output, for test fixtures.
///
/// Uses posix_spawn and waitpid directly: Foundation's Process.waitUntilExit can miss the child's
/// exit when called from Swift concurrency threads on Linux. Output goes to files, not pipes, since
/// a server the command starts may keep inherited pipe ends open forever.
public enum Shell {
    public struct Output: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String

        public init(status: Int32, stdout: String, stderr: String) {
            self.status = status
            self.stdout = stdout
            self.stderr = stderr
        }
    }

    @discardableResult
    public static func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil,
                           check: Bool = true) throws -> Output {
        let dir = FileManager.default.temporaryDirectory.path
        let outPath = "\(dir)/shell-\(UUID().uuidString).out"
        let errPath = "\(dir)/shell-\(UUID().uuidString).err"
        defer { unlink(outPath); unlink(errPath) }
        let pid = try spawn(executable, arguments, environment: environment, stdout: outPath, stderr: errPath)
        let status = wait(pid)
        let result = Output(status: status,
                            stdout: (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "",
                            stderr: (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "")
        if check && result.status != 0 {
            throw ShellError(command: ([executable] + arguments).joined(separator: " "), output: result)
        }
        return result
    }

    /// The same, for async tests: waits by polling with Task.sleep, so a long command never holds
    /// one of the few cooperative threads other tests need.
    @discardableResult
    public static func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil,
                           check: Bool = true) async throws -> Output {
        let dir = FileManager.default.temporaryDirectory.path
        let outPath = "\(dir)/shell-\(UUID().uuidString).out"
        let errPath = "\(dir)/shell-\(UUID().uuidString).err"
        defer { unlink(outPath); unlink(errPath) }
        let pid = try spawn(executable, arguments, environment: environment, stdout: outPath, stderr: errPath)
        var status: Int32?
        while status == nil {
            status = poll(pid)
            if status == nil { try? await Task.sleep(for: .milliseconds(5)) }
        }
        let result = Output(status: status ?? -1,
                            stdout: (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "",
                            stderr: (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "")
        if check && result.status != 0 {
            throw ShellError(command: ([executable] + arguments).joined(separator: " "), output: result)
        }
        return result
    }

    /// Starts a program in the background with stdout/stderr sent to files (or /dev/null).
    public static func spawn(_ executable: String, _ arguments: [String], environment: [String: String]? = nil,
                             stdout: String = "/dev/null", stderr: String = "/dev/null") throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        let env = ProcessInfo.processInfo.environment.merging(environment ?? [:]) { $1 }
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { argv.forEach { free($0) }; envp.forEach { free($0) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, executable, &actions, nil, argv, envp)
        guard rc == 0 else { throw ShellError(command: executable, output: Output(status: rc, stdout: "", stderr: "posix_spawn failed: \(rc)")) }
        return pid
    }

    /// The exit status of a child that has exited, or nil while it runs (waitpid WNOHANG).
    public static func poll(_ pid: pid_t) -> Int32? {
        var status: Int32 = 0
        let rc = waitpid(pid, &status, WNOHANG)
        if rc == 0 { return nil }
        if rc < 0 { return errno == EINTR ? nil : -1 }
        if status & 0x7f == 0 { return (status >> 8) & 0xff }
        return 128 + (status & 0x7f)
    }

    /// Waits for a child and returns its exit status (128 + signal when killed).
    @discardableResult
    public static func wait(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        if status & 0x7f == 0 { return (status >> 8) & 0xff }
        return 128 + (status & 0x7f)
    }

    public struct ShellError: Error, CustomStringConvertible {
        public var command: String
        public var output: Output
        public var description: String { "\(command) exited \(output.status): \(output.stderr)\(output.stdout)" }
    }
}
