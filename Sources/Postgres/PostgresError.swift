import CLibPQ

/// The one error type of the Postgres module: every libpq failure becomes one of these.
///
/// It carries the server's SQLSTATE, message, detail and hint when the server sent them, and says
/// whether the connection was lost (so callers know to reconnect). It never carries the conninfo,
/// so a password given in a URL or PGPASSWORD cannot leak through it.
public struct PostgresError: Error, CustomStringConvertible, Sendable {
    public enum Kind: Sendable, Equatable {
        /// Could not connect at all.
        case connectionFailed
        /// The connection was open and is gone (server restart, network loss, admin shutdown).
        case connectionLost
        /// The server refused a statement; `sqlState` says why.
        case server
        /// Misuse of the API or an unexpected protocol state.
        case client
    }

    public var kind: Kind
    /// Five-character SQLSTATE, e.g. "23514" for check_violation; nil when the server sent none.
    public var sqlState: String?
    public var message: String
    public var detail: String?
    public var hint: String?

    public init(kind: Kind, sqlState: String? = nil, message: String, detail: String? = nil, hint: String? = nil) {
        self.kind = kind
        self.sqlState = sqlState
        self.message = message
        self.detail = detail
        self.hint = hint
    }

    /// True when retrying on a new connection may succeed: the connection is gone, or the server
    /// said it is shutting down or starting up (SQLSTATE classes 08 and 57P0x).
    public var isConnectionProblem: Bool {
        if kind == .connectionLost || kind == .connectionFailed { return true }
        guard let s = sqlState else { return false }
        return s.hasPrefix("08") || s == "57P01" || s == "57P02" || s == "57P03"
    }

    public var description: String {
        var text = message
        if let sqlState { text = "\(text) (SQLSTATE \(sqlState))" }
        if let detail, !detail.isEmpty { text += "\nDETAIL: \(detail)" }
        if let hint, !hint.isEmpty { text += "\nHINT: \(hint)" }
        return text
    }

    /// Builds the error from a failed result (or, when `result` is nil, from the connection).
    static func from(result: OpaquePointer?, connection: OpaquePointer?) -> PostgresError {
        func field(_ code: Int32) -> String? {
            guard let result, let p = PQresultErrorField(result, code) else { return nil }
            return String(cString: p)
        }
        let connectionBad = connection.map { PQstatus($0) == CONNECTION_BAD } ?? true
        let primary = field(Int32(UInt8(ascii: "M")))   // PG_DIAG_MESSAGE_PRIMARY
        let state = field(Int32(UInt8(ascii: "C")))     // PG_DIAG_SQLSTATE
        let detail = field(Int32(UInt8(ascii: "D")))    // PG_DIAG_MESSAGE_DETAIL
        let hint = field(Int32(UInt8(ascii: "H")))      // PG_DIAG_MESSAGE_HINT
        var message = primary
        if message == nil, let result, let p = PQresultErrorMessage(result), p.pointee != 0 {
            message = String(cString: p)
        }
        if message == nil, let connection, let p = PQerrorMessage(connection) {
            message = String(cString: p)
        }
        let text = (message ?? "unknown libpq error").trimmingTrailingNewlines()
        let kind: Kind = connectionBad && (state == nil || state!.hasPrefix("08") || state!.hasPrefix("57P")) ? .connectionLost : .server
        return PostgresError(kind: kind, sqlState: state, message: text, detail: detail, hint: hint)
    }
}

extension String {
    func trimmingTrailingNewlines() -> String {
        var s = Substring(self)
        while let last = s.last, last == "\n" || last == "\r" || last == " " { s = s.dropLast() }
        return String(s)
    }
}
