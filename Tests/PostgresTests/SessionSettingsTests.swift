import Foundation
import Postgres
import Testing
import TestSupport

/// Session settings travel in the startup packet, so a role's or database's defaults, PGDATESTYLE,
/// PGTZ or PGOPTIONS cannot change how timestamps, intervals and floats read back.
@Suite("Session settings")
struct SessionSettingsTests {
    /// What every session must read back, whatever its role says.
    func expectCanonical(_ c: Connection, _ when: String) throws {
        let row = try #require(try c.query("""
            select timestamptz '2024-03-05 06:07:08.5+00' as ts, (timestamptz '2024-03-05 06:07:08.5+00')::text as ts_text,
                   (interval '1 day 02:03:04')::text as iv, (1::float8 / 3)::text as third
            """).first)
        #expect(try row.string("ts_text") == "2024-03-05 06:07:08.5+00", "timestamp text \(when)")
        #expect(try row.date("ts") == Date(timeIntervalSince1970: 1_709_618_828.5), "timestamp decoded \(when)")
        #expect(try row.string("iv") == "1 day 02:03:04", "interval \(when)")
        #expect(try row.string("third") == "0.3333333333333333", "float digits \(when)")
    }

    @Test func roleAndDatabaseDefaultsChangeNothingAlsoAfterResetAll() throws {
        let cluster = TestCluster.shared
        let database = try cluster.createEmptyDatabase(prefix: "session")
        let role = "session_role_\(getpid())_\(UInt32.random(in: 0..<1_000_000))"
        let admin = try Connection(cluster.conninfo())
        defer { admin.close() }
        let r = Connection.quoteIdentifier(role), d = Connection.quoteIdentifier(database)
        try admin.executeScript("""
            create role \(r) login;
            alter role \(r) set DateStyle = 'SQL, DMY';
            alter role \(r) set IntervalStyle = 'sql_standard';
            alter role \(r) set extra_float_digits = -15;
            alter database \(d) set TimeZone = 'Asia/Tokyo';
            """)
        defer { try? admin.executeScript("drop database \(d); drop role \(r)") }
        // The same role without our settings reads back the wrong shapes: the test can fail.
        let raw = try admin.query("""
            select (select setconfig from pg_db_role_setting where setrole = (select oid from pg_roles where rolname = $1)) as role_settings
            """, [role]).first?.string("role_settings") ?? ""
        #expect(raw.contains("DateStyle=SQL, DMY"))

        let c = try Connection(cluster.conninfo(database, user: role))
        try expectCanonical(c, "on connect")
        try c.executeScript("reset all")
        try expectCanonical(c, "after RESET ALL")
        c.close()
    }

    @Test func optionsAlreadyInTheConninfoAreKeptAndOursWin() throws {
        let conninfo = TestCluster.shared.conninfo() + " options='-c work_mem=5MB -c DateStyle=German'"
        let c = try Connection(conninfo)
        defer { c.close() }
        #expect(try c.query("select current_setting('work_mem') as a").first?.string("a") == "5MB")
        try expectCanonical(c, "with options in the conninfo")
        let url = "postgresql:///postgres?options=-c%20work_mem%3D5MB"
        #expect(try SessionSettings().startupOptions(conninfo: url).hasPrefix("-c work_mem=5MB -c DateStyle=ISO,MDY"))
    }

    @Test func timeoutsAreSetPerConnectionAndZeroIsRefused() throws {
        let session = SessionSettings(statementTimeout: .seconds(90), lockTimeout: .milliseconds(1500), idleInTransactionTimeout: .seconds(600))
        let c = try Connection(TestCluster.shared.conninfo(), session: session)
        defer { c.close() }
        let row = try #require(try c.query("""
            select current_setting('statement_timeout') as st, current_setting('lock_timeout') as lt,
                   current_setting('idle_in_transaction_session_timeout') as it
            """).first)
        #expect(try row.string("st") == "90s")
        #expect(try row.string("lt") == "1500ms")
        #expect(try row.string("it") == "10min")
        #expect(throws: PostgresError.self) { try Connection(TestCluster.shared.conninfo(), session: SessionSettings(lockTimeout: .zero)) }
    }

    /// PGDATESTYLE and PGTZ reach the server as startup parameters of their own; a process started
    /// with them (here `candlestack migrate --status`, which prints applied_at as text) still reads
    /// ISO timestamps in UTC.
    @Test func pgdatestyleAndPgtzInTheEnvironmentChangeNothing() async throws {
        let conninfo = try TestCluster.shared.createMigratedDatabase()
        let out = try await Shell.run(Paths.executable("candlestack"), ["migrate", "--status", "--database-url", conninfo, "--schema-dir", Paths.repository.path],
                                      environment: ["PGDATESTYLE": "SQL, DMY", "PGTZ": "Asia/Tokyo", "PGOPTIONS": "-c IntervalStyle=sql_standard"])
        let line = try #require(out.stdout.split(separator: "\n").first { $0.hasPrefix("migrations/0001") })
        let appliedAt = String(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst(2).joined(separator: " "))
        #expect(appliedAt.range(of: #"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)?\+00$"#, options: .regularExpression) != nil,
                "applied at printed as \(appliedAt)")
    }
}
