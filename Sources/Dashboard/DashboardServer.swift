import FlyingFox
import Foundation
import Postgres
import Synchronization

/// `candlestack serve`: one process, one FlyingFox HTTP server, server-rendered pages over schema
/// bi and their JSON twins under /api/. Binds where told (127.0.0.1 by default); every response
/// carries the security headers; a bad request gets a 4xx with one line saying why.
public final class DashboardServer: Sendable {
    private let server: HTTPServer
    private let database: DashboardDatabase
    private let host: String
    private let port: UInt16
    private let front = Mutex<HeadGuard?>(nil)

    /// A server that will listen on host:port (port 0: any free port); `start()` opens it.
    public init(host: String, port: UInt16, conninfo: String?) {
        let database = DashboardDatabase(conninfo: conninfo)
        self.database = database
        self.host = host
        self.port = port
        // FlyingFox answers on a loopback port of its own; HeadGuard owns the public socket.
        server = HTTPServer(address: try! sockaddr_in.inet(ip4: "127.0.0.1", port: 0), timeout: 30, logger: .disabled,
                            handler: DashboardHandler(database: database))
    }

    /// Starts serving in the background and returns the public port.
    public func start() async throws -> Int {
        let server = self.server
        Task { try await server.run() }
        try await server.waitUntilListening(timeout: 10)
        guard let address = await server.listeningAddress, case let .ip4(_, backend) = address else {
            throw Refusal(500, "the HTTP server did not report its port")
        }
        let guardSocket = try HeadGuard(host: host, port: port, backendPort: backend)
        guardSocket.start()
        front.withLock { $0 = guardSocket }
        return guardSocket.port
    }

    public func stop() async {
        front.withLock { $0?.stop(); $0 = nil }
        await server.stop(timeout: 1)
        await database.close()
    }

    /// Headers on every response: no framing, no sniffing, no referrer, and a CSP that allows only
    /// this process's own script and stylesheet (no inline script or style, no eval, no network).
    public static let securityHeaders: [HTTPHeader: String] = [
        HTTPHeader("Content-Security-Policy"): "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
        HTTPHeader("X-Frame-Options"): "DENY",
        HTTPHeader("X-Content-Type-Options"): "nosniff",
        HTTPHeader("Referrer-Policy"): "no-referrer",
        HTTPHeader("Cache-Control"): "no-store",
    ]
}

/// Routes every request: static files, /events, /api/... (JSON), and pages (HTML).
struct DashboardHandler: HTTPHandler {
    let database: DashboardDatabase

    func handleRequest(_ request: HTTPRequest) async throws -> HTTPResponse {
        var response: HTTPResponse
        do {
            response = try await respond(request)
        } catch let refusal as Refusal {
            response = Self.refuse(refusal, json: request.path.hasPrefix("/api/"))
        } catch let error as PostgresError {
            // 22xxx: a value the database refused (out of range, bad format): the request's fault.
            let status = error.sqlState?.hasPrefix("22") == true ? 400 : 503
            let line = error.message.split(separator: "\n").first.map(String.init) ?? "database error"
            response = Self.refuse(Refusal(status, "database: \(line)"), json: request.path.hasPrefix("/api/"))
        } catch {
            response = Self.refuse(Refusal(500, "internal error"), json: request.path.hasPrefix("/api/"))
        }
        for (k, v) in DashboardServer.securityHeaders { response.headers[k] = v }
        return response
    }

    static func refuse(_ r: Refusal, json: Bool) -> HTTPResponse {
        let body = json ? "{\"error\": \(JSON.string(r.reason))}\n" : r.reason + "\n"
        return HTTPResponse(statusCode: HTTPStatusCode(r.status, phrase: r.status == 404 ? "Not Found" : r.status == 414 ? "URI Too Long" : r.status == 405 ? "Method Not Allowed" : r.status == 403 ? "Forbidden" : r.status == 409 ? "Conflict" : r.status == 413 ? "Content Too Large" : r.status == 415 ? "Unsupported Media Type" : r.status >= 500 ? "Service Unavailable" : "Bad Request"),
                            headers: [.contentType: json ? "application/json" : "text/plain; charset=utf-8"], body: Data(body.utf8))
    }

    func respond(_ request: HTTPRequest) async throws -> HTTPResponse {
        let rawQuery = request.target.query()
        if rawQuery.utf8.count > QueryParameters.maxQueryLength {
            throw Refusal(414, "query string too long: \(rawQuery.utf8.count) bytes, at most \(QueryParameters.maxQueryLength)")
        }
        if request.method == .POST { return try await Actions.respond(request, database: database) }
        guard request.method == .GET || request.method == .HEAD else {
            throw Refusal(405, "\(request.method.rawValue) not allowed: pages answer GET, actions POST (\(Actions.paths))")
        }
        let path = request.path
        if path.hasPrefix("/static/") { return try Static.response(path) }
        if path == "/events" { return Events.response(conninfo: await database.conninfoForListeners) }
        let items = request.query.map { (name: $0.name, value: $0.value) }
        let isAPI = path == "/api" || path.hasPrefix("/api/")
        let pagePath = isAPI ? String(path.dropFirst(4)) : path
        let page = try Routes.page(path: pagePath.isEmpty ? "/" : pagePath, query: items)
        var results: [String: QueryResult] = [:]
        if isAPI {
            var out = "{"
            for (i, s) in page.sections.filter(\.api).enumerated() {
                let r = try await database.query(s.sql, s.parameters)
                let rows = JSON.rows(r)
                if let (name, reason) = page.mustExist, name == s.name, rows == "[]" { throw Refusal.notFound(reason) }
                out += (i == 0 ? "" : ",\n") + "\(JSON.string(s.name)): \(rows)"
            }
            out += "}\n"
            return HTTPResponse(statusCode: .ok, headers: [.contentType: "application/json"], body: Data(out.utf8))
        }
        for s in page.sections {
            let r = try await database.query(s.sql, s.parameters)
            if let (name, reason) = page.mustExist, name == s.name, r.count == 0 { throw Refusal.notFound(reason) }
            results[s.name] = r
        }
        let fetched = Fetched(results: results)
        var body = try page.extra(fetched)
        for s in page.sections where s.table {
            body += "<h2>\(HTML.escape(s.title))</h2>\n" + HTML.table(s.name, results[s.name]!, sortable: s.name == "trades" || s.name == "runs")
        }
        // Operator forms (only those the role may use) carry a CSRF token tied to this browser's cookie.
        let cookie = CSRF.cookie(in: request.headers[.cookie]) ?? CSRF.newCookie()
        let token = CSRF.token(for: cookie)
        body += try await ActionForms.html(pagePath: path, database: database, token: token)
        let html = HTML.layout(title: page.title, intro: page.intro, body: body, apiPath: "/api" + (path == "/" ? "" : path) + (rawQuery.isEmpty ? "" : "?" + rawQuery),
                               csrfToken: token)
        return HTTPResponse(statusCode: .ok, headers: [.contentType: "text/html; charset=utf-8", .setCookie: CSRF.setCookie(cookie)], body: Data(html.utf8))
    }
}

enum JSON {
    /// A result as a JSON array of objects, one per row, keyed by column name: numbers and
    /// booleans as JSON numbers and booleans, json/jsonb as they are, timestamptz in ISO 8601
    /// (the session runs in UTC), NULL as null, everything else as a string.
    static func rows(_ r: QueryResult) -> String {
        let names = r.columns.map(string)
        let types = r.columns.indices.map(r.typeOID)
        var out = "["
        for row in 0..<r.count {
            out += row == 0 ? "{" : ",{"
            for c in names.indices {
                out += (c == 0 ? "" : ",") + names[c] + ":" + value(r.string(row, c), type: types[c])
            }
            out += "}"
        }
        return out + "]"
    }

    /// One value of a column of type OID `type` (text format) as JSON.
    static func value(_ text: String?, type: UInt32) -> String {
        guard let text else { return "null" }
        switch type {
        case 16: return text == "t" ? "true" : "false"                        // bool
        case 20, 21, 23, 26: return text                                     // int8, int2, int4, oid
        case 700, 701, 1700:                                                  // float4, float8, numeric
            return Double(text).map { $0.isFinite } == true ? text : string(text)
        case 114, 3802: return text                                          // json, jsonb
        case 1009:                                                            // text[] (no NULL elements in bi)
            guard let items = ArrayLiteral.parse(text) else { return string(text) }
            return "[" + items.map(string).joined(separator: ",") + "]"
        case 1184:                                                            // timestamptz, "2024-01-01 00:00:00+00"
            var iso = text.replacingOccurrences(of: " ", with: "T")
            if iso.hasSuffix("+00") { iso += ":00" }
            return string(iso)
        default: return string(text)
        }
    }

    /// A JSON string literal.
    static func string(_ s: String) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: [s], options: [.withoutEscapingSlashes])) ?? Data("[\"\"]".utf8)
        let text = String(decoding: data, as: UTF8.self)
        return String(text.dropFirst().dropLast())
    }
}
