import CLibPQ
import Foundation

/// The settings every session starts with, sent in the startup packet (libpq's `options`
/// keyword, `-c name=value`) rather than set after connecting.
///
/// Settings from the startup packet outrank `ALTER ROLE/DATABASE ... SET` and postgresql.conf, and
/// `RESET ALL` returns to them, so nothing outside the process can change how values read back:
/// timestamps print as ISO 8601 in UTC, intervals in the `postgres` style, floats with every digit.
/// The timeouts are per connection; nil leaves the server's setting.
public struct SessionSettings: Sendable, Equatable {
    /// Longest one statement may run (`statement_timeout`).
    public var statementTimeout: Duration?
    /// Longest a statement may wait for a lock (`lock_timeout`).
    public var lockTimeout: Duration?
    /// Longest a session may sit idle inside a transaction (`idle_in_transaction_session_timeout`).
    public var idleInTransactionTimeout: Duration?

    public init(statementTimeout: Duration? = nil, lockTimeout: Duration? = nil, idleInTransactionTimeout: Duration? = nil) {
        self.statementTimeout = statementTimeout
        self.lockTimeout = lockTimeout
        self.idleInTransactionTimeout = idleInTransactionTimeout
    }

    /// How values read back, whatever the role, database or environment say. Parsing in
    /// QueryResult and PostgresTime relies on these.
    public static let fixed: [(name: String, value: String)] = [
        ("DateStyle", "ISO,MDY"), ("IntervalStyle", "postgres"), ("TimeZone", "UTC"), ("extra_float_digits", "3"),
    ]

    /// The settings as (name, value) pairs, fixed ones first; timeouts in whole milliseconds.
    /// Throws when a timeout is zero or negative (0 would mean "no limit" to the server).
    public func pairs() throws -> [(name: String, value: String)] {
        var out = Self.fixed
        for (name, value) in [("statement_timeout", statementTimeout), ("lock_timeout", lockTimeout),
                              ("idle_in_transaction_session_timeout", idleInTransactionTimeout)] {
            guard let value else { continue }
            let ms = value.components.seconds * 1000 + value.components.attoseconds / 1_000_000_000_000_000
            guard ms >= 1 else {
                throw PostgresError(kind: .client, message: "\(name) must be at least 1 ms; got \(value) (0 would mean no limit)")
            }
            out.append((name, "\(ms)"))
        }
        return out
    }

    /// The `options` value to connect with: what the connection already asked for (the conninfo's
    /// `options`, else `PGOPTIONS` or the service file named by `PGSERVICE`), then ours, which win
    /// because the server applies `-c` switches in order.
    public func startupOptions(conninfo: String?) throws -> String {
        let ours = try pairs().map { "-c \($0.name)=\($0.value)" }.joined(separator: " ")
        guard let existing = Self.existingOptions(conninfo), !existing.isEmpty else { return ours }
        return existing + " " + ours
    }

    /// The `options` a conninfo or URL carries; when it has none, libpq's default (PGOPTIONS, or
    /// the PGSERVICE entry). Nil when there is nothing.
    static func existingOptions(_ conninfo: String?) -> String? {
        if let conninfo, Self.isConnectionString(conninfo) {
            var error: UnsafeMutablePointer<CChar>?
            if let parsed = PQconninfoParse(conninfo, &error) {
                defer { PQconninfoFree(parsed) }
                if let value = Self.value(of: "options", in: parsed) { return value }
            } else if let error {
                PQfreemem(error)   // libpq reports the same problem when connecting
            }
        }
        guard let defaults = PQconndefaults() else { return nil }
        defer { PQconninfoFree(defaults) }
        return Self.value(of: "options", in: defaults)
    }

    /// A dbname value libpq expands (expand_dbname): a URL or `key=value` text.
    static func isConnectionString(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") || text.contains("=")
    }

    private static func value(of keyword: String, in options: UnsafeMutablePointer<PQconninfoOption>) -> String? {
        var p = options
        while let key = p.pointee.keyword {
            if String(cString: key) == keyword {
                guard let v = p.pointee.val else { return nil }
                let s = String(cString: v)
                return s.isEmpty ? nil : s
            }
            p += 1
        }
        return nil
    }
}
