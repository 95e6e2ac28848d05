import Foundation
import Migrator
import Postgres

/// A throwaway PostgreSQL cluster for tests (scripts/db-start), and fresh migrated databases in it.
///
/// `TestCluster.shared` is one cluster per test process: the one scripts/test started (passed in
/// CANDLESTACK_TEST_PGHOST/CANDLESTACK_TEST_PGPORT), or else one started on first use and stopped
/// at exit. Tests that stop or restart the server start a private one with `start()`.
public final class TestCluster: @unchecked Sendable {
    public let directory: String?
    public let socketDirectory: String
    public let port: Int
    private let lock = NSLock()
    private var templateReady = false
    private var counter = 0
    private let ownsCluster: Bool

    init(directory: String?, socketDirectory: String, port: Int, owns: Bool) {
        self.directory = directory
        self.socketDirectory = socketDirectory
        self.port = port
        self.ownsCluster = owns
    }

    /// Starts a new cluster (fsync off) that the caller must `stop()`.
    public static func start() throws -> TestCluster {
        let output = try Shell.run(Paths.script("db-start"), [], environment: ["CANDLESTACK_PG_FAST": "1"])
        let values = exports(output.stdout)
        guard let dir = values["CANDLESTACK_PGDIR"], let host = values["PGHOST"], let port = values["PGPORT"].flatMap(Int.init) else {
            throw Shell.ShellError(command: "scripts/db-start", output: output)
        }
        return TestCluster(directory: dir, socketDirectory: host, port: port, owns: true)
    }

    /// The process-wide cluster.
    public static let shared: TestCluster = {
        let env = ProcessInfo.processInfo.environment
        if let host = env["CANDLESTACK_TEST_PGHOST"], let port = env["CANDLESTACK_TEST_PGPORT"].flatMap(Int.init) {
            return TestCluster(directory: nil, socketDirectory: host, port: port, owns: false)
        }
        do {
            let cluster = try start()
            sharedToStop = cluster
            atexit { TestCluster.sharedToStop?.stop() }
            return cluster
        } catch {
            fatalError("cannot start a throwaway PostgreSQL cluster: \(error)")
        }
    }()
    nonisolated(unsafe) static var sharedToStop: TestCluster?

    /// Stops the server and deletes its directory.
    public func stop() {
        guard ownsCluster, let directory else { return }
        _ = try? Shell.run(Paths.script("db-stop"), [directory], check: false)
    }

    /// Stops the server without deleting anything (for restart tests).
    public func stopServer() throws {
        guard let directory else { return }
        try Shell.run(Paths.script("db-ctl"), [directory, "stop"])
    }

    public func startServer() throws {
        guard let directory else { return }
        try Shell.run(Paths.script("db-ctl"), [directory, "start"])
    }

    /// Conninfo for a database of this cluster, over the Unix socket.
    public func conninfo(_ database: String = "postgres", user: String = "postgres") -> String {
        "host=\(socketDirectory) port=\(port) dbname=\(database) user=\(user)"
    }

    /// Conninfo over TCP on 127.0.0.1.
    public func tcpConninfo(_ database: String = "postgres", user: String = "postgres") -> String {
        "host=127.0.0.1 port=\(port) dbname=\(database) user=\(user)"
    }

    /// A new, empty database (no schema applied).
    public func createEmptyDatabase(prefix: String = "t") throws -> String {
        let name = nextName(prefix)
        let admin = try Connection(conninfo())
        defer { admin.close() }
        try admin.executeScript("create database \(Connection.quoteIdentifier(name))")
        return name
    }

    /// A new database with the whole schema (migrations/ and sql/) applied, copied from a template
    /// migrated once per process. Returns its conninfo.
    public func createMigratedDatabase() throws -> String {
        let template = "template_\(getpid())"
        lock.lock()
        defer { lock.unlock() }
        let admin = try Connection(conninfo())
        defer { admin.close() }
        if !templateReady {
            try admin.executeScript("drop database if exists \(Connection.quoteIdentifier(template))")
            try admin.executeScript("create database \(Connection.quoteIdentifier(template))")
            let connection = try Connection(conninfo(template))
            try Migrator(files: SchemaFiles(root: Paths.repository)).migrate(connection)
            connection.close()
            templateReady = true
        }
        counter += 1
        let name = "t_\(getpid())_\(counter)"
        try admin.executeScript("create database \(Connection.quoteIdentifier(name)) template \(Connection.quoteIdentifier(template))")
        return conninfo(name)
    }

    /// The database a conninfo made by this class names (`dbname=...`).
    public static func databaseName(of conninfo: String) -> String? {
        conninfo.split(separator: " ").first { $0.hasPrefix("dbname=") }.map { String($0.dropFirst(7)) }
    }

    private func nextName(_ prefix: String) -> String {
        lock.lock(); defer { lock.unlock() }
        counter += 1
        return "\(prefix)_\(getpid())_\(counter)"
    }
}
