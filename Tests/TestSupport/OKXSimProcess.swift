// OKXSimProcess: a test fixture that runs the built okx-sim binary on a free port.

import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
#if canImport(Glibc)
import Glibc
#endif

/// A running okx-sim. Start it with `start(...)`, read `baseURL`, and `stop()` it at the end
/// (also on failure paths: it is a separate process).
public final class OKXSimProcess: @unchecked Sendable {
    public let pid: pid_t
    public let baseURL: URL
    private let outputPath: String
    private let lock = NSLock()
    private var stopped = false

    private init(pid: pid_t, baseURL: URL, outputPath: String) {
        self.pid = pid
        self.baseURL = baseURL
        self.outputPath = outputPath
    }

    /// Starts `okx-sim --port 0` with the given flags and waits for its ready line
    /// `okx-sim listening on http://HOST:PORT`.
    public static func start(seed: UInt64 = 1, from: String? = nil, nowMs: Int64? = nil,
                             rateLimitScale: Double = 1, faults: String? = nil,
                             extraArguments: [String] = [], timeout: Duration = .seconds(90)) async throws -> OKXSimProcess {
        var args = ["--port", "0", "--seed", String(seed), "--rate-limit-scale", String(rateLimitScale)]
        if let from { args += ["--from", from] }
        if let nowMs { args += ["--now", String(nowMs)] }
        if let faults, !faults.isEmpty { args += ["--faults", faults] }
        args += extraArguments
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("okx-sim-\(UUID().uuidString).out").path
        let pid = try Shell.spawn(Paths.executable("okx-sim"), args, stdout: out, stderr: out + ".err")
        let deadline = ContinuousClock.now + timeout
        // Read the file once more after the deadline: a test process whose cooperative threads were
        // busy may resume this task only after the deadline, long after okx-sim printed its line.
        while true {
            if let text = try? String(contentsOfFile: out, encoding: .utf8),
               let line = text.split(separator: "\n").first(where: { $0.hasPrefix("okx-sim listening on ") }),
               let url = URL(string: String(line.dropFirst("okx-sim listening on ".count)).trimmingCharacters(in: .whitespaces)) {
                return OKXSimProcess(pid: pid, baseURL: url, outputPath: out)
            }
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid {
                let err = (try? String(contentsOfFile: out + ".err", encoding: .utf8)) ?? ""
                throw Shell.ShellError(command: "okx-sim " + args.joined(separator: " "),
                                       output: .init(status: status, stdout: "", stderr: err))
            }
            if ContinuousClock.now >= deadline { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        kill(pid, SIGKILL)
        Shell.wait(pid)
        throw Shell.ShellError(command: "okx-sim " + args.joined(separator: " "),
                               output: .init(status: -1, stdout: "", stderr: "no ready line within \(timeout)"))
    }

    /// Stops the simulator (SIGTERM, then waits for it). Safe to call twice.
    public func stop() {
        let first = lock.withLock { () -> Bool in
            defer { stopped = true }
            return !stopped
        }
        guard first else { return }
        kill(pid, SIGTERM)
        Shell.wait(pid)
        unlink(outputPath)
        unlink(outputPath + ".err")
    }

    deinit { stop() }

    // MARK: - simulator endpoints

    /// GET a /sim/... path and parse the JSON.
    public func getJSON(_ pathAndQuery: String) async throws -> Any {
        let (data, _) = try await URLSession.shared.data(from: URL(string: baseURL.absoluteString + pathAndQuery)!)
        return try JSONSerialization.jsonObject(with: data)
    }

    /// POST a JSON body to a /sim/... path.
    public func post(_ path: String, json: String = "{}") async throws {
        var request = URLRequest(url: URL(string: baseURL.absoluteString + path)!)
        request.httpMethod = "POST"
        request.httpBody = Data(json.utf8)
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        _ = try await URLSession.shared.data(for: request)
    }

    /// /sim/stats.
    public func stats() async throws -> [String: Any] {
        (try await getJSON("/sim/stats") as? [String: Any]) ?? [:]
    }

    /// Accepted, refused and faulted requests of one endpoint ("history-candles", "candles", "time"...).
    public func counts(_ endpoint: String) async throws -> (accepted: Int, refused: Int, faulted: Int) {
        let all = ((try await stats())["endpoints"] as? [String: Any]) ?? [:]
        let key = all.keys.first { $0 == endpoint || $0.hasSuffix("/" + endpoint) }
        let e = key.flatMap { all[$0] as? [String: Any] } ?? [:]
        return ((e["accepted"] as? Int) ?? 0, (e["refused"] as? Int) ?? 0, (e["faulted"] as? Int) ?? 0)
    }

    /// Every candle of okx-sim in [fromMs, toMs), oldest first, as OKX's row arrays of strings.
    public func candles(instId: String, bar: String, fromMs: Int64, toMs: Int64) async throws -> [[String]] {
        let json = try await getJSON("/sim/candles?instId=\(instId)&bar=\(bar)&from=\(fromMs)&to=\(toMs)")
        let data = ((json as? [String: Any])?["data"] as? [Any]) ?? []
        return data.compactMap { ($0 as? [Any])?.map { "\($0)" } }
    }
}
