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
}

/// Finds and reads the schema's SQL files.
public struct SchemaFiles: Sendable {
    public let root: URL

    public init(root: URL) { self.root = root }

    /// The directory holding `migrations/` and `sql/`: `CANDLESTACK_SCHEMA_DIR`, else the first of
    /// the working directory, its parents and the executable's parents that holds both.
    public static func locate(explicit: String? = nil,
                              environment: [String: String] = ProcessInfo.processInfo.environment) -> URL? {
        if let explicit, !explicit.isEmpty { return URL(fileURLWithPath: explicit) }
        if let dir = environment["CANDLESTACK_SCHEMA_DIR"], !dir.isEmpty { return URL(fileURLWithPath: dir) }
        var starts = [URL(fileURLWithPath: FileManager.default.currentDirectoryPath)]
        starts.append(URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath().deletingLastPathComponent())
        for start in starts {
            var dir = start.standardizedFileURL
            for _ in 0..<8 {
                if isSchemaRoot(dir) { return dir }
                let parent = dir.deletingLastPathComponent()
                if parent.path == dir.path { break }
                dir = parent
            }
        }
        return nil
    }

    static func isSchemaRoot(_ dir: URL) -> Bool {
        var isDir: ObjCBool = false
        let fm = FileManager.default
        return fm.fileExists(atPath: dir.appendingPathComponent("migrations").path, isDirectory: &isDir) && isDir.boolValue
            && fm.fileExists(atPath: dir.appendingPathComponent("sql").path, isDirectory: &isDir) && isDir.boolValue
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
            return "cannot find the schema files (a folder holding migrations/ and sql/); run from the checkout or set CANDLESTACK_SCHEMA_DIR"
        }
    }
}
