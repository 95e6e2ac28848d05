import ArgumentParser
import Foundation
import Migrator
import Postgres

/// `candlestack migrate`: apply migrations/ then changed sql/ files, recorded in meta.
struct Migrate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Apply pending migrations, then re-apply repeatable SQL files whose checksum changed.",
        discussion: """
        Each file runs in its own transaction and is recorded in meta.schema_migrations or \
        meta.repeatable_files. An applied migration whose content changed is refused. Two migrators \
        at once are safe: one waits for the other.
        """
    )

    @OptionGroup var database: DatabaseOptions

    @Option(name: .customLong("schema-dir"), help: "Candlestack's schema folder, holding migrations/ and sql/ (default: $CANDLESTACK_SCHEMA_DIR, else <bin>/../share/candlestack, else the checkout the binary was built from; never the working directory).")
    var schemaDir: String?

    @Flag(name: .customLong("status"), help: "List applied, pending and changed files; apply nothing.")
    var status = false

    @Flag(name: .customLong("dry-run"), help: "Print what would be applied; apply nothing.")
    var dryRun = false

    func run() throws {
        let root: URL
        do { root = try SchemaFiles.locate(explicit: schemaDir) } catch { throw CLIError("\(error)") }
        let migrator = Migrator(files: SchemaFiles(root: root))
        let connection = try database.connect()
        defer { connection.close() }
        do {
            if status {
                let entries = try migrator.plan(connection)
                print("file".padding(toLength: 44, withPad: " ", startingAt: 0) + "state".padding(toLength: 10, withPad: " ", startingAt: 0) + "applied at")
                for entry in entries {
                    print(entry.file.path.padding(toLength: 44, withPad: " ", startingAt: 0)
                          + entry.state.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0)
                          + (entry.appliedAt ?? "-"))
                }
                let pending = entries.filter { $0.state != .applied }.count
                print(pending == 0 ? "up to date" : "\(pending) file(s) to apply")
                return
            }
            try migrator.migrate(connection, dryRun: dryRun) { print($0) }
        } catch let error as MigrationError {
            throw CLIError(error.description)
        } catch let error as PostgresError {
            throw CLIError(error.description)
        }
    }
}
