import Foundation
import Testing
import TestSupport

/// docs/systemd/candlestack-worker@.service is a unit systemd accepts as written: `systemd-analyze
/// verify` on a copy whose ExecStart points at the built binary prints nothing about it.
@Suite("Operations: the example systemd unit")
struct SystemdUnitTests {
    static let unitName = "candlestack-worker@.service"
    static let installedBinary = "/usr/local/bin/candlestack"

    /// systemd-analyze from PATH (Shell.run takes an absolute path).
    static let systemdAnalyze: String? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        let dirs = path.split(separator: ":").map(String.init) + ["/usr/bin", "/bin", "/usr/sbin", "/sbin"]
        return dirs.map { "\($0)/systemd-analyze" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    static var unitSource: URL { Paths.repository.appendingPathComponent("docs/systemd/\(unitName)") }

    static func readUnit() throws -> String { try String(contentsOf: unitSource, encoding: .utf8) }

    /// The value of the first `Key=` line of the unit.
    static func value(_ key: String, in unit: String) -> String? {
        for line in unit.split(separator: "\n") where line.hasPrefix("\(key)=") {
            return String(line.dropFirst(key.count + 1))
        }
        return nil
    }

    @Test(.enabled(if: systemdAnalyze != nil,
                   "systemd-analyze not found on PATH: install systemd (Debian: apt-get install systemd) to verify the unit"))
    func systemdAnalyzeVerifyAcceptsTheUnit() throws {
        let analyze = try #require(Self.systemdAnalyze)
        let binary = Paths.executable("candlestack")
        try #require(FileManager.default.isExecutableFile(atPath: binary),
                     "built candlestack not found at \(binary): run swift build first (or set CANDLESTACK_BIN_DIR)")

        let unit = try Self.readUnit()
        let execStart = try #require(Self.value("ExecStart", in: unit), "the unit has no ExecStart=")
        #expect(execStart.hasPrefix("\(Self.installedBinary) worker"), "ExecStart should run \(Self.installedBinary) worker; got \(execStart)")
        let rewritten = unit.replacingOccurrences(of: "ExecStart=\(Self.installedBinary) ", with: "ExecStart=\(binary) ")
        #expect(rewritten != unit, "ExecStart was not rewritten to the built binary")

        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("systemd-unit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        // The template itself, and an instance of it (what `systemctl enable --now candlestack-worker@1` loads).
        for name in [Self.unitName, "candlestack-worker@1.service"] {
            let path = dir.appendingPathComponent(name).path
            try rewritten.write(toFile: path, atomically: true, encoding: .utf8)
            let out = try Shell.run(analyze, ["verify", path], environment: ["SYSTEMD_LOG_COLOR": "0", "SYSTEMD_PAGER": ""],
                                    check: false)
            let lines = (out.stdout + out.stderr).split(separator: "\n").map(String.init)
            // Lines that name the unit, its instance or its file fail the test; others (host units pulled in
            // through After=/WantedBy=) are shown but are not this unit's fault.
            let aboutUnit = lines.filter { $0.contains("candlestack-worker") || $0.contains(dir.path) }
            #expect(out.status == 0, "systemd-analyze verify \(name) exited \(out.status):\n\(lines.joined(separator: "\n"))")
            #expect(aboutUnit.isEmpty, "systemd-analyze verify \(name) complained:\n\(aboutUnit.joined(separator: "\n"))")
            let other = lines.filter { !aboutUnit.contains($0) }
            if !other.isEmpty { print("systemd-analyze verify \(name), about other units:\n\(other.joined(separator: "\n"))") }
        }
    }

    /// systemd must not SIGKILL a worker that is still inside its grace period: TimeoutStopSec has
    /// to exceed --grace-seconds plus the 5 s the worker gives handlers that ignore cancellation.
    @Test func stopTimeoutOutlastsTheGracePeriod() throws {
        let unit = try Self.readUnit()
        let execStart = try #require(Self.value("ExecStart", in: unit))
        let words = execStart.split(separator: " ").map(String.init)
        let grace = words.firstIndex(of: "--grace-seconds").flatMap { Double(words[$0 + 1]) } ?? 10  // the worker's default
        let timeout = try #require(Self.value("TimeoutStopSec", in: unit).flatMap(Double.init), "TimeoutStopSec= (seconds) is missing")
        #expect(timeout > grace + 5, "TimeoutStopSec=\(timeout) must exceed --grace-seconds \(grace) + 5 s")
        #expect(Self.value("KillSignal", in: unit) == "SIGTERM")
        #expect(Self.value("Restart", in: unit) == "on-failure")
    }
}
