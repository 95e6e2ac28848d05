import Foundation
import Postgres
import Testing
import TestSupport

@Suite("Connection loss")
struct ReconnectTests {
    @Test func aLostConnectionIsReportedAndANewOneWorksAfterRestart() async throws {
        let cluster = try TestCluster.start()
        defer { cluster.stop() }
        let connection = try Connection(cluster.conninfo())
        #expect(try connection.query("select 1 as one").first?.int("one") == 1)

        try cluster.stopServer()
        do {
            try connection.query("select 1")
            Issue.record("query on a stopped server did not throw")
        } catch let error as PostgresError {
            #expect(error.isConnectionProblem)
        }
        do {
            _ = try Connection(cluster.conninfo())
            Issue.record("connected to a stopped server")
        } catch let error as PostgresError {
            #expect(error.kind == .connectionFailed)
        }

        // What the workers do after a loss: open a new connection once the server is back.
        try cluster.startServer()
        connection.close()
        let fresh = try Connection(cluster.conninfo())
        defer { fresh.close() }
        #expect(try fresh.query("select 2 as two").first?.int("two") == 2)
    }

    @Test func aListenerLearnsThatItsConnectionWasTerminated() async throws {
        let conninfo = try TestCluster.shared.createMigratedDatabase()
        let listener = try Connection(conninfo)
        try listener.listen(["doomed"])
        let admin = try Connection(conninfo)
        try admin.query("select pg_terminate_backend($1)", [listener.backendPID])
        #expect(throws: PostgresError.self) {
            _ = try listener.waitForNotifications(timeout: .seconds(10))
        }
    }
}
