import Foundation
import Postgres

/// Applies the schema: versioned migrations once each, in order, then repeatable files whose
/// checksum changed. Everything it does is recorded in `meta`.
///
/// Two migrators started at once are safe: the second waits on an advisory lock.
public struct Migrator: Sendable {
    public let files: SchemaFiles

    /// The advisory lock key all migrators take (any bigint; "candlestack" in ASCII-ish).
    static let lockKey: Int64 = 0x63616E646C65

    public init(files: SchemaFiles) { self.files = files }

    /// What one file is, compared with what the database recorded.
    public struct Entry: Sendable, Equatable {
        public enum State: String, Sendable { case applied, pending, changed }
        public var file: SchemaFile
        public var state: State
        public var sha256: String
        public var appliedAt: String?
    }

    /// Compares files with `meta`. Throws if an applied migration changed or vanished.
    public func plan(_ connection: Connection) throws -> [Entry] {
        let migrations = try files.migrations()
        let repeatables = try files.repeatables()
        let bootstrapped = try connection.query("select to_regclass('meta.schema_migrations') is not null as ok")
            .first!.bool("ok") ?? false
        var applied: [Int: (name: String, sha: String, at: String)] = [:]
        var repeatableApplied: [String: (sha: String, at: String)] = [:]
        if bootstrapped {
            for row in try connection.query("select version, name, sha256, applied_at::text as at from meta.schema_migrations").rows() {
                applied[try row.required("version", row.int)] = (try row.string("name") ?? "", try row.string("sha256") ?? "", try row.string("at") ?? "")
            }
            for row in try connection.query("select path, sha256, applied_at::text as at from meta.repeatable_files").rows() {
                repeatableApplied[try row.string("path") ?? ""] = (try row.string("sha256") ?? "", try row.string("at") ?? "")
            }
        }
        var entries: [Entry] = []
        let versions = Set(migrations.map(\.version))
        for (version, record) in applied.sorted(by: { $0.key < $1.key }) where !versions.contains(version) {
            throw MigrationError.missingFile(version: version, name: record.name)
        }
        for file in migrations {
            let sha = try Self.sha256(file.contents, connection)
            if let record = applied[file.version] {
                guard record.sha == sha else {
                    throw MigrationError.changedAfterApply(path: file.path, applied: record.sha, now: sha)
                }
                entries.append(Entry(file: file, state: .applied, sha256: sha, appliedAt: record.at))
            } else {
                entries.append(Entry(file: file, state: .pending, sha256: sha, appliedAt: nil))
            }
        }
        for file in repeatables {
            let sha = try Self.sha256(file.contents, connection)
            if let record = repeatableApplied[file.path] {
                entries.append(Entry(file: file, state: record.sha == sha ? .applied : .changed, sha256: sha, appliedAt: record.at))
            } else {
                entries.append(Entry(file: file, state: .pending, sha256: sha, appliedAt: nil))
            }
        }
        return entries
    }

    /// The file's sha256 in hex, computed by the server so there is one definition of it.
    static func sha256(_ text: String, _ connection: Connection) throws -> String {
        try connection.query("select encode(sha256(convert_to($1, 'UTF8')), 'hex') as h", [text]).first!.string("h")!
    }

    /// Applies what is pending or changed, then re-applies the unchanged grant files if anything was
    /// applied. Returns the entries it applied, grant files last (empty when up to date).
    /// `log` receives one line per step.
    @discardableResult
    public func migrate(_ connection: Connection, dryRun: Bool = false, log: (String) -> Void = { _ in }) throws -> [Entry] {
        let gotLock = try connection.query("select pg_try_advisory_lock($1) as ok", [Self.lockKey]).first!.bool("ok") ?? false
        if !gotLock {
            log("another migrator is running on this database; waiting for it")
            try connection.query("select pg_advisory_lock($1)", [Self.lockKey])
        }
        defer { _ = try? connection.query("select pg_advisory_unlock($1)", [Self.lockKey]) }
        // "already exists, skipping" notices from idempotent DDL are not news to the DBA.
        try connection.query("select set_config('client_min_messages', 'warning', false)")

        let entries = try plan(connection)
        let todo = entries.filter { $0.state != .applied }
        if todo.isEmpty { log("schema is up to date; nothing to apply"); return [] }
        // Grant files name objects by schema ("all tables in schema queue"), so a table or function
        // that a later file made gets its grants only when the grant file runs again: after any
        // migrate that applied something, every grant file runs, changed or not, last.
        let regrants = entries.filter { $0.state == .applied && $0.file.isGrantFile }
        for entry in todo {
            if dryRun { log("would apply \(entry.file.path) (\(entry.state.rawValue))"); continue }
            try apply(entry, connection, log: log)
        }
        for entry in regrants {
            if dryRun { log("would re-apply \(entry.file.path) (grants, after the files above)"); continue }
            try apply(entry, connection, log: log)
        }
        return todo + regrants
    }

    /// Runs one file in its own transaction together with its row in meta.
    func apply(_ entry: Entry, _ connection: Connection, log: (String) -> Void) throws {
        let started = ContinuousClock.now
        do {
            try connection.withTransaction {
                try connection.executeScript(entry.file.contents)
                let ms = Self.milliseconds(ContinuousClock.now - started)
                switch entry.file.kind {
                case .migration:
                    try connection.query("""
                        insert into meta.schema_migrations (version, name, sha256, duration_ms)
                        values ($1, $2, $3, $4)
                        """, [entry.file.version, entry.file.name, entry.sha256, ms])
                case .repeatable:
                    try connection.query("""
                        insert into meta.repeatable_files (path, sha256, duration_ms) values ($1, $2, $3)
                        on conflict (path) do update
                           set sha256 = excluded.sha256, applied_at = now(), duration_ms = excluded.duration_ms
                        """, [entry.file.path, entry.sha256, ms])
                }
            }
        } catch let error as PostgresError {
            throw MigrationError.failed(path: entry.file.path, message: error.description)
        }
        let verb = entry.state == .applied ? "re-applied" : "applied"
        log("\(verb) \(entry.file.path) in \(String(format: "%.1f", Self.milliseconds(ContinuousClock.now - started))) ms")
    }

    static func milliseconds(_ d: Duration) -> Double {
        Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15
    }
}
