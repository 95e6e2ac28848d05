import Foundation

/// One SQL file of the schema: a versioned migration (`migrations/NNNN_name.sql`) or a
/// repeatable object file (`sql/NNNN_name.sql`).
public struct SchemaFile: Sendable, Equatable {
    public enum Kind: String, Sendable { case migration, repeatable }
    public var kind: Kind
    /// The NNNN prefix as a number: the order files apply in.
    public var version: Int
    /// The part after NNNN_, without .sql.
    public var name: String
    /// Path relative to the schema root, e.g. "migrations/0001_meta.sql".
    public var path: String
    public var contents: String

    /// A repeatable file of grants (`sql/NNNN_<area>_grants.sql`): re-applied after every migrate
    /// that applied anything.
    public var isGrantFile: Bool { kind == .repeatable && (name == "grants" || name.hasSuffix("_grants")) }
}

/// Finds and reads the schema's SQL files.
public struct SchemaFiles: Sendable {
    public let root: URL

    public init(root: URL) { self.root = root }

    /// The directory holding `migrations/` and `sql/`, never guessed from the working directory:
    /// `--schema-dir` (`explicit`), else `CANDLESTACK_SCHEMA_DIR`, else the installed copy next to
    /// the binary (`<bin>/../share/candlestack`, as docs/operations.md installs it), else the
    /// checkout this binary was built from. A folder named by the flag or the variable that does
    /// not hold Candlestack's schema is refused, naming where it came from.
    public static func locate(explicit: String? = nil,
                              environment: [String: String] = ProcessInfo.processInfo.environment,
                              executable: URL = URL(fileURLWithPath: CommandLine.arguments.first ?? ".")) throws -> URL {
        if let explicit, !explicit.isEmpty {
            let dir = URL(fileURLWithPath: explicit)
            try check(dir, source: "--schema-dir")
            return dir
        }
        if let value = environment["CANDLESTACK_SCHEMA_DIR"], !value.isEmpty {
            let dir = URL(fileURLWithPath: value)
            try check(dir, source: "CANDLESTACK_SCHEMA_DIR")
            return dir
        }
        for dir in defaultLocations(executable: executable) where (try? check(dir, source: "")) != nil {
            return dir
        }
        throw MigrationError.noSchemaDirectory
    }

    /// Where an installed or freshly built binary finds its schema without being told.
    public static func defaultLocations(executable: URL) -> [URL] {
        let binDir = executable.resolvingSymlinksInPath().deletingLastPathComponent()
        let installed = binDir.deletingLastPathComponent().appendingPathComponent("share/candlestack")
        // This file is Sources/Migrator/SchemaFiles.swift of the checkout the binary was built from.
        let checkout = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return [installed.standardizedFileURL, checkout.standardizedFileURL]
    }

    /// Refuses a folder that is not Candlestack's schema: it must hold `migrations/` and `sql/`,
    /// and `migrations/0001_meta.sql` must create the migrator's own table, meta.schema_migrations.
    public static func check(_ dir: URL, source: String) throws {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        func refuse(_ why: String) -> MigrationError { .notCandlestackSchema(path: dir.path, source: source, reason: why) }
        guard fm.fileExists(atPath: dir.path, isDirectory: &isDir), isDir.boolValue else { throw refuse("no such folder") }
        for folder in ["migrations", "sql"] {
            guard fm.fileExists(atPath: dir.appendingPathComponent(folder).path, isDirectory: &isDir), isDir.boolValue else {
                throw refuse("it has no \(folder)/ folder")
            }
        }
        let meta = dir.appendingPathComponent("migrations/0001_meta.sql")
        guard let text = try? String(contentsOf: meta, encoding: .utf8), text.contains("meta.schema_migrations") else {
            throw refuse("migrations/0001_meta.sql, which creates meta.schema_migrations, is missing or does not")
        }
    }

    public func migrations() throws -> [SchemaFile] { try read("migrations", .migration) }
    public func repeatables() throws -> [SchemaFile] { try read("sql", .repeatable) }

    /// Reads `NNNN_name.sql` files of a folder in version order; refuses odd names and duplicates.
    func read(_ folder: String, _ kind: SchemaFile.Kind) throws -> [SchemaFile] {
        let dir = root.appendingPathComponent(folder)
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".sql") }.sorted()
        var files: [SchemaFile] = []
        for fileName in names {
            let stem = String(fileName.dropLast(4))
            let parts = stem.split(separator: "_", maxSplits: 1)
            guard parts.count == 2, parts[0].count == 4, let version = Int(parts[0]) else {
                throw MigrationError.badFileName("\(folder)/\(fileName)")
            }
            if let previous = files.last, previous.version == version {
                throw MigrationError.duplicateVersion(previous.path, "\(folder)/\(fileName)")
            }
            let contents = try String(contentsOf: dir.appendingPathComponent(fileName), encoding: .utf8)
            files.append(SchemaFile(kind: kind, version: version, name: String(parts[1]),
                                    path: "\(folder)/\(fileName)", contents: contents))
        }
        return files
    }
}

/// Why the migrator refused to go on. Each case names the file involved.
public enum MigrationError: Error, CustomStringConvertible, Equatable {
    case badFileName(String)
    case duplicateVersion(String, String)
    case changedAfterApply(path: String, applied: String, now: String)
    case missingFile(version: Int, name: String)
    case failed(path: String, message: String)
    case noSchemaDirectory
    case notCandlestackSchema(path: String, source: String, reason: String)

    public var description: String {
        switch self {
        case .badFileName(let p): return "\(p): schema files must be named NNNN_name.sql"
        case .duplicateVersion(let a, let b): return "\(a) and \(b) have the same version number"
        case .changedAfterApply(let p, let applied, let now):
            return "\(p) was changed after it was applied (sha256 applied \(applied.prefix(12))…, file now \(now.prefix(12))…); migrations never change once applied: restore it and add a new migration"
        case .missingFile(let v, let n):
            return String(format: "migration %04d_%@ is recorded as applied but its file is missing", v, n)
        case .failed(let p, let m): return "\(p) failed: \(m)"
        case .noSchemaDirectory:
            return "cannot find Candlestack's schema files (a folder holding migrations/ and sql/): pass --schema-dir or set CANDLESTACK_SCHEMA_DIR, or install them in <bin>/../share/candlestack"
        case .notCandlestackSchema(let path, let source, let reason):
            return "\(source) \(path) is not Candlestack's schema folder: \(reason)"
        }
    }
}
