// The okx-sim executable: the ready line, port 0, the same market as in-process, SIGTERM.
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
@testable import OKXSim

/// The okx-sim binary built next to the test bundle (`swift test` builds every product).
let okxSimBinary: URL = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    .appendingPathComponent("okx-sim")

@Suite struct BinaryTests {
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: okxSimBinary.path)))
    func binaryPrintsReadyLineServesAndStopsOnSIGTERM() async throws {
        let p = Process()
        p.executableURL = okxSimBinary
        p.arguments = ["--port", "0", "--seed", "7", "--now", String(testNow), "--from", "2024-12-01",
                       "--faults", "busy=0", "--rate-limit-scale", "0"]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        defer { if p.isRunning { p.terminate() } }

        // Wait for the one ready line.
        var text = ""
        while !text.contains("\n") {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
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

        p.terminate() // SIGTERM
        p.waitUntilExit()
        #expect(p.terminationReason == .exit && p.terminationStatus == 0)
    }
}
