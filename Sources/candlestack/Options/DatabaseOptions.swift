import ArgumentParser
import Postgres

/// Options every subcommand that talks to the database shares.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .customLong("database-url"),
            help: "libpq conninfo or postgres:// URL. Default: $DATABASE_URL, else libpq's PG* variables, service file and .pgpass (as psql).")
    var databaseURL: String?

    /// What to hand to libpq (nil: libpq's own defaults).
    var conninfo: String? { ConnectionSettings.resolve(explicit: databaseURL) }

    func connect() throws -> Connection {
        do { return try Connection(conninfo) } catch let error as PostgresError {
            throw CLIError(error.description)
        }
    }
}

/// A one-line error for the user; the CLI exits non-zero with it.
struct CLIError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
