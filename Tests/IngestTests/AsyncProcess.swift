// Running a program from an async test without blocking a cooperative thread in waitpid.

import Foundation
import TestSupport

/// Runs a program to its end, polling its exit with Task.sleep (Shell.run would block a thread).
func runProgram(_ executable: String, _ arguments: [String], check: Bool = true) async throws -> Shell.Output {
    let base = FileManager.default.temporaryDirectory.appendingPathComponent("ingest-\(UUID().uuidString)").path
    defer { unlink(base + ".out"); unlink(base + ".err") }
    let pid = try Shell.spawn(executable, arguments, stdout: base + ".out", stderr: base + ".err")
    let status = await waitForExit(pid)
    let output = Shell.Output(status: status,
                              stdout: (try? String(contentsOfFile: base + ".out", encoding: .utf8)) ?? "",
                              stderr: (try? String(contentsOfFile: base + ".err", encoding: .utf8)) ?? "")
    if check && status != 0 {
        throw ProgramFailed(command: ([executable] + arguments).joined(separator: " "), output: output)
    }
    return output
}

/// The exit status of a child, polled with Task.sleep.
func waitForExit(_ pid: pid_t) async -> Int32 {
    while true {
        if let status = Shell.poll(pid) { return status }
        try? await Task.sleep(for: .milliseconds(10))
    }
}

struct ProgramFailed: Error, CustomStringConvertible {
    var command: String
    var output: Shell.Output
    var description: String { "\(command) exited \(output.status): \(output.stderr)\(output.stdout)" }
}
