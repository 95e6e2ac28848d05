import FlyingFox
import Foundation
import Postgres

/// The operator actions: `POST /backtests` (queue a backtest), `POST /jobs/ID/cancel`,
/// `POST /jobs/ID/rerun`. Each checks the form's CSRF token, then calls the very function a psql
/// user would (queue.enqueue, queue.cancel, queue.rerun) with the connected login's rights, so a
/// role without them is refused by the database (42501: 403), not only by the page. Success: 303
/// to the job's page. A refusal: a 4xx with one line naming the field (the database's own message).
enum Actions {
    static let maxBody = 65536
    static let paths = "POST /backtests, /jobs/ID/cancel, /jobs/ID/rerun"

    static func respond(_ request: HTTPRequest, database: DashboardDatabase) async throws -> HTTPResponse {
        let parts = request.path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        enum Target { case backtest, cancel(Int64), rerun(Int64) }
        let target: Target
        switch (parts.count, parts.first ?? "", parts.last ?? "") {
        case (1, "backtests", _): target = .backtest
        case (3, "jobs", "cancel"): target = .cancel(try pathID(parts[1], what: "job"))
        case (3, "jobs", "rerun"): target = .rerun(try pathID(parts[1], what: "job"))
        default: throw Refusal(405, "POST not allowed at \(QueryParameters.clip(request.path)); actions: \(paths)")
        }
        // A browser says where a form came from; one from another origin is refused outright.
        if let origin = request.headers[HTTPHeader("Origin")], let host = request.headers[.host],
           origin != "http://\(host)" && origin != "https://\(host)" {
            throw Refusal(403, "origin \(QueryParameters.clip(origin)) is not this dashboard")
        }
        let type = request.headers[.contentType]?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased()
        guard type == "application/x-www-form-urlencoded" else {
            throw Refusal(415, "expected a form (Content-Type: application/x-www-form-urlencoded), got \(QueryParameters.clip(type ?? "none"))")
        }
        let body = try await request.bodyData
        guard body.count <= maxBody else { throw Refusal(413, "form too large: \(body.count) bytes, at most \(maxBody)") }
        let form = try Form(String(decoding: body, as: UTF8.self))
        guard CSRF.isValid(token: form.values[CSRF.fieldName], cookie: CSRF.cookie(in: request.headers[.cookie])) else {
            throw Refusal(403, "csrf: missing or stale form token; reload the page and submit again")
        }
        let sql: String, parameters: [any SQLParameter]
        switch target {
        case .backtest:
            sql = "select id from queue.enqueue('backtest', $1::jsonb)"
            parameters = [try BacktestForm.payload(form)]
        case .cancel(let id):
            try form.onlyToken()
            sql = "select id from queue.cancel($1)"
            parameters = [id]
        case .rerun(let id):
            try form.onlyToken()
            sql = "select id from queue.rerun($1)"
            parameters = [id]
        }
        let result: QueryResult
        do { result = try await database.query(sql, parameters) } catch let error as PostgresError {
            throw refusal(error)
        }
        guard let id = result.string(0, 0) else { throw Refusal(503, "database: no job returned") }
        return HTTPResponse(statusCode: HTTPStatusCode(303, phrase: "See Other"),
                            headers: [.location: "/jobs/\(id)", .contentType: "text/plain; charset=utf-8"],
                            body: Data("job \(id)\n".utf8))
    }

    /// The database's refusal as a 4xx with its first line (which names the field or the job).
    static func refusal(_ error: PostgresError) -> Refusal {
        let line = "database: " + (error.message.split(separator: "\n").first.map(String.init) ?? "error")
        switch error.sqlState {
        case "42501", "25006": return Refusal(403, line)   // no right; a read-only login
        case "P0002": return Refusal(404, line)            // no such job
        case "55000", "23505": return Refusal(409, line)   // job in the wrong state; unique key held
        case let s? where s.hasPrefix("22") || s.hasPrefix("23"): return Refusal(400, line)
        default: return Refusal(503, line)
        }
    }
}

/// An application/x-www-form-urlencoded body: each name at most once.
struct Form {
    var values: [String: String] = [:]
    var names: [String] = []

    init(_ text: String) throws(Refusal) {
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = Self.decode(kv[0]), let value = Self.decode(kv.count > 1 ? kv[1] : "") else {
                throw .bad("form: bad percent-encoding in \"\(QueryParameters.clip(String(pair)))\"")
            }
            guard values[name] == nil else { throw .bad("\(QueryParameters.clip(name)): given twice") }
            values[name] = value
            names.append(name)
        }
    }

    static func decode(_ s: Substring) -> String? {
        s.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }

    /// Cancel and rerun take nothing but the token.
    func onlyToken() throws(Refusal) {
        if let extra = names.first(where: { $0 != CSRF.fieldName }) {
            throw .bad("unknown form field \"\(QueryParameters.clip(extra))\"; this action takes only \(CSRF.fieldName)")
        }
    }
}
