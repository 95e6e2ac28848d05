import Foundation
import Migrator
import Postgres
import Testing
import TestSupport

/// Grant files say "all tables in schema x": a table a later migration adds gets its grants only
/// if the grant file runs again, so every migrate that applied anything re-applies them.
@Suite("Grants after every migrate")
struct GrantReapplyTests {
    @Test func aTableAddedByALaterMigrationGetsTheGrantsOfItsSchema() throws {
        let cluster = TestCluster.shared
        let name = try cluster.createEmptyDatabase(prefix: "grants")
        let role = "grants_reader_\(getpid())_\(UInt32.random(in: 0..<1_000_000))"
        let admin = try Connection(cluster.conninfo())
        defer { admin.close() }
        try admin.executeScript("create role \(Connection.quoteIdentifier(role)) nologin")
        defer { try? admin.executeScript("drop database \(Connection.quoteIdentifier(name)); drop role \(Connection.quoteIdentifier(role))") }

        let schema = try ScratchSchema()
        try schema.write("migrations/0002_stock.sql", "create schema stock; create table stock.items (id int);")
        try schema.write("sql/0190_stock_grants.sql", """
            grant usage on schema stock to \(Connection.quoteIdentifier(role));
            grant select on all tables in schema stock to \(Connection.quoteIdentifier(role));
            """)
        let db = try Connection(cluster.conninfo(name))
        defer { db.close() }
        try schema.migrator.migrate(db)
        func canRead(_ table: String) throws -> Bool {
            try db.query("select has_table_privilege($1, $2, 'select') as ok", [role, table]).first?.bool("ok") == true
        }
        #expect(try canRead("stock.items"))

        // A later migration adds a table; the grant file itself did not change.
        try schema.write("migrations/0003_more_stock.sql", "create table stock.prices (id int);")
        var lines: [String] = []
        let dry = try schema.migrator.migrate(db, dryRun: true) { lines.append($0) }
        #expect(dry.map(\.file.path) == ["migrations/0003_more_stock.sql", "sql/0190_stock_grants.sql"])
        #expect(lines.last?.hasPrefix("would re-apply sql/0190_stock_grants.sql") == true)
        let applied = try schema.migrator.migrate(db)
        #expect(applied.map(\.file.path) == ["migrations/0003_more_stock.sql", "sql/0190_stock_grants.sql"])
        #expect(try canRead("stock.prices"))

        // Nothing to apply: the grant file does not run again.
        #expect(try schema.migrator.migrate(db).count == 0)
    }
}
