import Foundation
import Postgres
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// A database of its own (the actions change it) with `candlestack serve` running as a fresh login
/// of one role (candlestack_operator or candlestack_bi). `stop()` ends the server.
struct ActionServer {
    let conninfo: String
    let login: String
    let port: Int
    let pid: pid_t

    /// A new migrated database served under a login in `role`; `readOnly` as the docs suggest for BI logins.
    static func start(role: String, readOnly: Bool = false, conninfo given: String? = nil) async throws -> ActionServer {
        let conninfo = try given ?? TestCluster.shared.createMigratedDatabase()
        let login = "dash_\(role.dropFirst("candlestack_".count))_\(getpid())_\(Int.random(in: 0..<1_000_000))"
        let c = try Connection(conninfo)
        defer { c.close() }
        try c.executeScript("create role \(Connection.quoteIdentifier(login)) login in role \(Connection.quoteIdentifier(role))"
                            + (readOnly ? "; alter role \(Connection.quoteIdentifier(login)) set default_transaction_read_only = on" : ""))
        let out = NSTemporaryDirectory() + "dashboard-\(login).out"
        let pid = try Shell.spawn("/usr/bin/timeout", ["--signal=KILL", "600", Paths.executable("candlestack"), "serve", "--port", "0",
                                                       "--database-url", "\(conninfo) user=\(login)"], stdout: out, stderr: out)
        for _ in 0..<400 {
            if let text = try? String(contentsOfFile: out, encoding: .utf8),
               let r = text.range(of: #"127\.0\.0\.1:[0-9]+"#, options: .regularExpression),
               let port = Int(text[r].split(separator: ":")[1]) {
                return ActionServer(conninfo: conninfo, login: login, port: port, pid: pid)
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        kill(pid, SIGTERM)
        throw PostgresError(kind: .client, message: "candlestack serve did not start: \((try? String(contentsOfFile: out, encoding: .utf8)) ?? "")")
    }

    /// Ends the server: SIGKILL to `timeout`'s child (the test process's blocked signals are inherited,
    /// so a SIGTERM may never arrive), then reaps `timeout`.
    func stop() {
        let children = (try? String(contentsOfFile: "/proc/\(pid)/task/\(pid)/children", encoding: .utf8)) ?? ""
        for child in children.split(separator: " ").compactMap({ pid_t($0) }) { kill(child, SIGKILL) }
        kill(pid, SIGKILL)
        _ = Shell.wait(pid)
    }

    func scalar(_ sql: String, _ params: [any SQLParameter] = []) throws -> String? {
        let c = try Connection(conninfo)
        defer { c.close() }
        return try c.query(sql, params).first?.string(0)
    }

    func get(_ target: String, cookie: String? = nil) throws -> HTTPAnswer {
        try HTTPAnswer.request(port: port, "GET \(target)", headers: cookie.map { ["Cookie: \($0)"] } ?? [])
    }

    /// A browser's session: the cookie the server set and the CSRF token of the page it served.
    func session(from target: String = "/") throws -> (cookie: String, token: String) {
        let page = try get(target)
        let cookie = String((page.headers["set-cookie"] ?? "").split(separator: ";").first ?? "")
        guard let r = page.body.range(of: #"<meta name="csrf-token" content="[0-9a-f]+">"#, options: .regularExpression) else {
            throw PostgresError(kind: .client, message: "no csrf-token meta on \(target)")
        }
        let token = page.body[r].split(separator: "\"")[3]
        return (cookie, String(token))
    }

    /// A form POST, as a browser sends it (the fields percent-encoded).
    func post(_ path: String, _ fields: [(String, String)], cookie: String?, origin: String? = nil) throws -> HTTPAnswer {
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))
        let body = fields.map { "\($0.0.addingPercentEncoding(withAllowedCharacters: allowed)!)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed)!)" }
            .joined(separator: "&")
        var headers = ["Content-Type: application/x-www-form-urlencoded", "Content-Length: \(body.utf8.count)"]
        if let cookie { headers.append("Cookie: \(cookie)") }
        if let origin { headers.append("Origin: \(origin)") }
        return try HTTPAnswer.request(port: port, "POST \(path)", headers: headers, body: body)
    }
}

extension HTTPAnswer {
    /// One HTTP/1.1 request over a plain socket ("METHOD target"), read until the server closes.
    static func request(port: Int, _ line: String, headers: [String], body: String = "") throws -> HTTPAnswer {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var a = sockaddr_in()
        a.sin_family = sa_family_t(AF_INET); a.sin_port = UInt16(port).bigEndian
        a.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &a) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard rc == 0 else { throw PostgresError(kind: .client, message: "connect failed") }
        let head = ([line + " HTTP/1.1", "Host: 127.0.0.1:\(port)", "Connection: close"] + headers).joined(separator: "\r\n") + "\r\n\r\n"
        let request = Array((head + body).utf8)
        var off = 0
        while off < request.count {
            let n = request[off...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { break }
            off += n
        }
        var data = [UInt8]()
        var buf = [UInt8](repeating: 0, count: 65536)
        while true { let n = read(fd, &buf, buf.count); if n <= 0 { break }; data += buf[0..<n] }
        let text = String(decoding: data, as: UTF8.self)
        guard let split = text.range(of: "\r\n\r\n") else { throw PostgresError(kind: .client, message: "no HTTP answer to \(line.prefix(60))") }
        let lines = text[..<split.lowerBound].components(separatedBy: "\r\n")
        let status = Int(lines[0].split(separator: " ")[1]) ?? 0
        var headers: [String: String] = [:]
        for l in lines.dropFirst() { if let c = l.firstIndex(of: ":") { headers[l[..<c].lowercased()] = l[l.index(after: c)...].trimmingCharacters(in: .whitespaces) } }
        return HTTPAnswer(status: status, headers: headers, body: String(text[split.upperBound...]))
    }

    /// One short line (a refusal's reason).
    var isOneLine: Bool { let l = body.split(separator: "\n"); return l.count == 1 && l[0].count < 400 }
}
