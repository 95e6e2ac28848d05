import Foundation
import Migrator
import Postgres
import Testing
import TestSupport

/// A scratch schema root (migrations/ + sql/) with the real meta migration and files a test writes.
struct ScratchSchema {
    let root: URL

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("schema-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("migrations"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: root.appendingPathComponent("sql"), withIntermediateDirectories: true)
        let meta = try String(contentsOf: Paths.repository.appendingPathComponent("migrations/0001_meta.sql"), encoding: .utf8)
        try write("migrations/0001_meta.sql", meta)
    }

    func write(_ path: String, _ text: String) throws {
        try text.write(to: root.appendingPathComponent(path), atomically: true, encoding: .utf8)
    }

    var migrator: Migrator { Migrator(files: SchemaFiles(root: root)) }
}

@Suite("Migrator")
struct MigratorTests {
    func freshDatabase() throws -> Connection {
        try Connection(TestCluster.shared.conninfo(try TestCluster.shared.createEmptyDatabase(prefix: "mig")))
    }

    @Test func appliesInOrderOnceAndASecondRunIsANoOp() throws {
        let schema = try ScratchSchema()
        try schema.write("migrations/0002_things.sql", "create table things (id int primary key, name text);")
        try schema.write("migrations/0003_more.sql", "alter table things add column size int;")
        try schema.write("sql/0100_thing_view.sql", "create or replace view thing_names as select name from things;")
        let db = try freshDatabase()
        let applied = try schema.migrator.migrate(db)
        #expect(applied.map(\.file.path) == ["migrations/0001_meta.sql", "migrations/0002_things.sql",
                                              "migrations/0003_more.sql", "sql/0100_thing_view.sql"])
        let versions = try db.query("select array_agg(version order by version)::text as v from meta.schema_migrations").first?.string("v")
        #expect(versions == "{1,2,3}")
        #expect(try db.query("select count(*) as n from meta.repeatable_files").first?.int("n") == 1)
        var lines: [String] = []
        #expect(try schema.migrator.migrate(db) { lines.append($0) }.isEmpty)
        #expect(lines == ["schema is up to date; nothing to apply"])
    }

    @Test func refusesAMigrationChangedAfterItWasApplied() throws {
        let schema = try ScratchSchema()
        try schema.write("migrations/0002_things.sql", "create table things (id int primary key);")
        let db = try freshDatabase()
        try schema.migrator.migrate(db)
        try schema.write("migrations/0002_things.sql", "create table things (id bigint primary key);")
        #expect {
            try schema.migrator.migrate(db)
        } throws: { error in
            guard case MigrationError.changedAfterApply(let path, _, _) = error else { return false }
            return path == "migrations/0002_things.sql"
        }
    }

    @Test func reappliesARepeatableFileWhoseChecksumChanged() throws {
        let schema = try ScratchSchema()
        try schema.write("sql/0100_answer.sql", "create or replace function answer() returns int language sql as 'select 41';")
        let db = try freshDatabase()
        try schema.migrator.migrate(db)
        #expect(try db.query("select answer() as a").first?.int("a") == 41)
        try schema.write("sql/0100_answer.sql", "create or replace function answer() returns int language sql as 'select 42';")
        let applied = try schema.migrator.migrate(db)
        #expect(applied.map(\.file.path) == ["sql/0100_answer.sql"])
        #expect(applied.first?.state == .changed)
        #expect(try db.query("select answer() as a").first?.int("a") == 42)
    }

    @Test func aFailingFileLeavesNothingBehindAndNamesItself() throws {
        let schema = try ScratchSchema()
        try schema.write("migrations/0002_half.sql", "create table half (id int); select 1/0;")
        let db = try freshDatabase()
        #expect {
            try schema.migrator.migrate(db)
        } throws: { error in
            guard case MigrationError.failed(let path, _) = error else { return false }
            return path == "migrations/0002_half.sql"
        }
        #expect(try db.query("select to_regclass('half') is null as gone").first?.bool("gone") == true)
        #expect(try db.query("select count(*) as n from meta.schema_migrations where version = 2").first?.int("n") == 0)
    }

    @Test func twoMigratorsAtOnceApplyEachFileOnce() async throws {
        let schema = try ScratchSchema()
        try schema.write("migrations/0002_slow.sql", "select pg_sleep(0.3); create table slow (id int);")
        let name = try TestCluster.shared.createEmptyDatabase(prefix: "mig")
        let conninfo = TestCluster.shared.conninfo(name)
        let migrator = schema.migrator
        async let a: Int = Task.detached { try migrator.migrate(Connection(conninfo)).count }.value
        async let b: Int = Task.detached { try migrator.migrate(Connection(conninfo)).count }.value
        let counts = try await [a, b].sorted()
        #expect(counts == [0, 2])
        let db = try Connection(conninfo)
        #expect(try db.query("select count(*) as n from meta.schema_migrations").first?.int("n") == 2)
    }

    @Test func theRealSchemaAppliesAndIsUpToDateAfterwards() throws {
        let db = try freshDatabase()
        let migrator = Migrator(files: SchemaFiles(root: Paths.repository))
        let applied = try migrator.migrate(db)
        #expect(applied.count == (try migrator.files.migrations().count + migrator.files.repeatables().count))
        #expect(try migrator.plan(db).allSatisfy { $0.state == .applied })
    }
}
