import Foundation
import Migrator
import Postgres
import Testing
import TestSupport

/// `migrate` applies the folder it is given (--schema-dir, CANDLESTACK_SCHEMA_DIR) or the one
/// installed with the binary, never a migrations/ folder it happens to find from the working
/// directory, and refuses a folder that is not Candlestack's schema.
@Suite("Schema location")
struct SchemaLocationTests {
    /// A folder with migrations/ and sql/ that is someone else's schema.
    func foreignSchema() throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("foreign-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("migrations"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: root.appendingPathComponent("sql"), withIntermediateDirectories: true)
        try "create table foreign_things (id int);".write(to: root.appendingPathComponent("migrations/0001_init.sql"), atomically: true, encoding: .utf8)
        return root
    }

    func refusal(_ body: () throws -> URL) -> (source: String, reason: String)? {
        do { _ = try body(); return nil } catch MigrationError.notCandlestackSchema(_, let source, let reason) { return (source, reason) } catch { return nil }
    }

    @Test func aFolderThatIsNotCandlestacksIsRefusedNamingTheFlagOrVariable() throws {
        let foreign = try foreignSchema()
        let byFlag = refusal { try SchemaFiles.locate(explicit: foreign.path, environment: [:]) }
        #expect(byFlag?.source == "--schema-dir")
        #expect(byFlag?.reason.contains("0001_meta.sql") == true)
        let byEnv = refusal { try SchemaFiles.locate(environment: ["CANDLESTACK_SCHEMA_DIR": foreign.path]) }
        #expect(byEnv?.source == "CANDLESTACK_SCHEMA_DIR")
        let missing = refusal { try SchemaFiles.locate(explicit: "/nonexistent/schema", environment: [:]) }
        #expect(missing?.reason == "no such folder")
        #expect(try SchemaFiles.locate(explicit: Paths.repository.path, environment: [:]).path == Paths.repository.path)
    }

    @Test func withoutFlagOrVariableTheCopyInstalledBesideTheBinaryIsUsed() throws {
        let prefix = FileManager.default.temporaryDirectory.appendingPathComponent("prefix-\(UUID().uuidString)")
        let share = prefix.appendingPathComponent("share/candlestack")
        try FileManager.default.createDirectory(at: share, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Paths.repository.appendingPathComponent("migrations"), to: share.appendingPathComponent("migrations"))
        try FileManager.default.copyItem(at: Paths.repository.appendingPathComponent("sql"), to: share.appendingPathComponent("sql"))
        let found = try SchemaFiles.locate(environment: [:], executable: prefix.appendingPathComponent("bin/candlestack"))
        #expect(found.standardizedFileURL.path == share.standardizedFileURL.path)
    }

    /// The binary run from inside a foreign project: before, it walked up from the working
    /// directory and applied that project's migrations/.
    @Test func theWorkingDirectoryIsNeverSearched() async throws {
        let foreign = try foreignSchema()
        let name = try TestCluster.shared.createEmptyDatabase(prefix: "loc")
        let conninfo = TestCluster.shared.conninfo(name)
        let bin = Paths.executable("candlestack")
        let here = try await Shell.run("/bin/sh", ["-c", "cd \"$1\" && exec \"$2\" migrate --status --database-url \"$3\"", "sh", foreign.path, bin, conninfo],
                                       environment: ["CANDLESTACK_SCHEMA_DIR": ""])
        #expect(!here.stdout.contains("0001_init.sql"), "listed the working directory's migrations")
        #expect(here.stdout.contains("migrations/0001_meta.sql"))

        let refused = try await Shell.run(bin, ["migrate", "--schema-dir", foreign.path, "--database-url", conninfo], check: false)
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("is not Candlestack's schema folder"), "\(refused.stderr.prefix(300))")
        let db = try Connection(conninfo)
        defer { db.close() }
        #expect(try db.query("select to_regclass('foreign_things') is null and to_regnamespace('meta') is null as untouched").first?.bool("untouched") == true)
    }
}
