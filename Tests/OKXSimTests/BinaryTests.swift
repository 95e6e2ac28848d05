// The okx-sim executable: the ready line, port 0, the same market as in-process, SIGTERM.
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import TestSupport
@testable import OKXSim

/// The okx-sim binary built next to the test bundle (`swift test` builds every product).
let okxSimBinary: URL = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    .appendingPathComponent("okx-sim")

@Suite struct BinaryTests {
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: okxSimBinary.path)))
    func binaryPrintsReadyLineServesAndStopsOnSIGTERM() async throws {
        // posix_spawn with output to a file, and waiting by polling: Foundation's Process blocks a
        // cooperative thread in waitUntilExit (and can miss the exit) under Swift concurrency here.
        let outPath = FileManager.default.temporaryDirectory.appendingPathComponent("okx-sim-\(UUID().uuidString).out").path
        defer { unlink(outPath) }
        let pid = try Shell.spawn(okxSimBinary.path,
                                  ["--port", "0", "--seed", "7", "--now", String(testNow), "--from", "2024-12-01",
                                   "--faults", "busy=0", "--rate-limit-scale", "0"], stdout: outPath)
        var exited: Int32?
        defer { if exited == nil { kill(pid, SIGKILL); _ = Shell.wait(pid) } }

        // Wait for the one ready line.
        var text = ""
        for _ in 0..<1200 where !text.contains("\n") {
            text = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
            if !text.contains("\n") { try await Task.sleep(for: .milliseconds(50)) }
        }
        let line = text.split(separator: "\n").first.map(String.init) ?? ""
        #expect(line.hasPrefix("okx-sim listening on http://127.0.0.1:"))
        let base = String(line.dropFirst("okx-sim listening on ".count))
        let port = Int(base.split(separator: ":").last ?? "") ?? 0
        #expect(port > 0)

        let url = URL(string: base + "/api/v5/market/history-candles?instId=BTC-USDT&bar=1H&limit=300")!
        let (data, _) = try await URLSession.shared.data(from: url)

        // The same seed in-process gives the same bytes.
        let h = try await SimHarness.start(seed: 7)
        defer { Task { await h.stop() } }
        let (_, local) = try await h.get("/api/v5/market/history-candles?instId=BTC-USDT&bar=1H&limit=300")
        #expect(data == local)

        kill(pid, SIGTERM)
        while exited == nil {
            exited = Shell.poll(pid)
            if exited == nil { try await Task.sleep(for: .milliseconds(10)) }
        }
        #expect(exited == 0)
    }
}
