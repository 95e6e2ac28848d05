import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Headless Chromium driven over the DevTools protocol on `--remote-debugging-pipe` (fd 3: commands
/// in, fd 4: answers out, each a JSON message ended by a NUL byte): no WebSocket, no port.
final class ChromiumPipe {
    let pid: pid_t
    private let toChrome: Int32, fromChrome: Int32
    private var buffer = [UInt8]()
    private var nextID = 0
    private let profile: String

    init(_ chromium: String, url: String) throws {
        var a: [Int32] = [0, 0], b: [Int32] = [0, 0]
        guard pipe(&a) == 0, pipe(&b) == 0 else { throw CocoaError(.fileWriteUnknown) }
        profile = NSTemporaryDirectory() + "dash-cdp-\(getpid())-\(Int.random(in: 0..<1_000_000))"
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, a[0], 3)
        posix_spawn_file_actions_adddup2(&actions, b[1], 4)
        let args = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                    "--user-data-dir=\(profile)", "--remote-debugging-pipe", url]
        let argv = args.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var child: pid_t = 0
        guard posix_spawn(&child, chromium, &actions, nil, argv, environ) == 0 else { throw CocoaError(.executableLoad) }
        pid = child
        Glibc.close(a[0]); Glibc.close(b[1])
        toChrome = a[1]; fromChrome = b[0]
    }

    /// Sends one command and returns its answer's "result" (events in between are skipped).
    func call(_ method: String, _ params: [String: Any] = [:], session: String? = nil) throws -> [String: Any] {
        nextID += 1
        var message: [String: Any] = ["id": nextID, "method": method, "params": params]
        if let session { message["sessionId"] = session }
        var bytes = [UInt8](try JSONSerialization.data(withJSONObject: message))
        bytes.append(0)
        guard bytes.withUnsafeBytes({ write(toChrome, $0.baseAddress, $0.count) }) == bytes.count else { throw CocoaError(.fileWriteUnknown) }
        while true {
            while !buffer.contains(0) {
                var ready = pollfd(fd: fromChrome, events: Int16(POLLIN), revents: 0)
                guard poll(&ready, 1, 20_000) > 0 else { throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "\(method): no answer from Chromium"]) }
                var chunk = [UInt8](repeating: 0, count: 65536)
                let n = read(fromChrome, &chunk, chunk.count)
                guard n > 0 else { throw CocoaError(.fileReadUnknown) }
                buffer += chunk[0..<n]
            }
            let end = buffer.firstIndex(of: 0)!
            let text = Data(buffer[0..<end])
            buffer.removeSubrange(0...end)
            guard let answer = try JSONSerialization.jsonObject(with: text) as? [String: Any], answer["id"] as? Int == nextID else { continue }
            if let error = answer["error"] { throw CocoaError(.featureUnsupported, userInfo: [NSLocalizedDescriptionKey: "\(method): \(error)"]) }
            return answer["result"] as? [String: Any] ?? [:]
        }
    }

    /// The page's session (the tab Chromium opened on the URL).
    func pageSession() throws -> String {
        let targets = try call("Target.getTargets")["targetInfos"] as? [[String: Any]] ?? []
        guard let page = targets.first(where: { $0["type"] as? String == "page" }), let id = page["targetId"] as? String else {
            throw CocoaError(.fileReadUnknown)
        }
        return try call("Target.attachToTarget", ["targetId": id, "flatten": true])["sessionId"] as? String ?? ""
    }

    /// A JavaScript expression's value in the page, as a string.
    func evaluate(_ expression: String, session: String) throws -> String {
        let r = try call("Runtime.evaluate", ["expression": expression, "returnByValue": true], session: session)
        return ((r["result"] as? [String: Any])?["value"]).map { "\($0)" } ?? ""
    }

    func close() {
        Glibc.close(toChrome); Glibc.close(fromChrome)
        kill(pid, SIGKILL)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        try? FileManager.default.removeItem(atPath: profile)
    }
}
