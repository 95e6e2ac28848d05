import Foundation
import Postgres

/// The dashboard's one connection, opened on first use and again after the server went away.
/// Every statement is a parameterized SELECT over schema bi; AsyncConnection runs them one at a
/// time on its own thread.
actor DashboardDatabase {
    private let conninfo: String?
    private var connection: AsyncConnection?

    init(conninfo: String?) { self.conninfo = conninfo }

    /// Where /events opens its own LISTEN connection.
    var conninfoForListeners: String? { conninfo }

    func query(_ sql: String, _ parameters: [any SQLParameter] = []) async throws -> QueryResult {
        let c: AsyncConnection
        if let open = connection { c = open } else {
            c = try await AsyncConnection.connect(conninfo, applicationName: "candlestack-serve")
            connection = c
        }
        do { return try await c.query(sql, parameters) } catch let error as PostgresError where error.isConnectionProblem {
            connection = nil
            await c.close()
            throw error
        }
    }

    func close() async {
        if let c = connection { await c.close() }
        connection = nil
    }
}
