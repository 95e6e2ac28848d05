// The engine list lives in SQL (migrations/0009). These tests hold the other places to it: the
// worker's build (EngineCatalog, checked at start-up), Swift's parameter rules (StrategySpec, which
// re-checks what the validators already checked) and docs/psql.md's engine table.

import Backtest
import Foundation
import Postgres
import TestSupport
import Testing
import Worker

@Suite("backtest: one engine list in SQL")
struct EngineCatalogTests {
    static func listing(_ db: Connection) throws -> EngineCatalog.Listing {
        try EngineCatalog.listing(from: try db.query("select backtest.engine_catalog()::text as c").first?.string("c") ?? "")
    }

    @Test func theBuildImplementsExactlyTheMigratedList() throws {
        let db = try Connection(try TestCluster.shared.createMigratedDatabase())
        defer { db.close() }
        let sql = try Self.listing(db)
        #expect(sql.engines.count == Engine.allCases.count)
        #expect(EngineCatalog.differences(database: sql) == [])
    }

    @Test func differencesNameTheEnginesAndParametersOnEachSide() {
        var sql = EngineCatalog.implemented
        sql.engines["turtle"] = ["entry"]
        sql.engines["sma_cross"] = ["fast", "slow", "signal"]
        sql.engines.removeValue(forKey: "buy_hold")
        let problems = EngineCatalog.differences(database: sql)
        #expect(problems.count == 3)
        #expect(problems.contains { $0.contains("lists turtle, which this worker does not implement") })
        #expect(problems.contains { $0.contains("implements buy_hold, which backtest.strategy_engines does not list") })
        #expect(problems.contains { $0.contains("sma_cross takes (fast, slow, signal)") })
    }

    @Test func aWorkerRefusesToStartWhenTheDatabaseListsAnEngineItCannotRun() async throws {
        let conninfo = try TestCluster.shared.createMigratedDatabase()
        let db = try Connection(conninfo)
        defer { db.close() }
        try db.query("insert into backtest.strategy_engines (engine, ordinal, description) values ('turtle', 99, 'Turtle rules.')")
        let worker = try WorkerProcess(conninfo: conninfo, ["--kinds", "backtest", "--exit-when-idle"])
        let status = await worker.wait()
        #expect(status != 0)
        #expect(worker.log.contains("backtest.strategy_engines lists turtle, which this worker does not implement"),
                "\(worker.log.suffix(600))")
        // A worker of other kinds does not care.
        let ingestOnly = try WorkerProcess(conninfo: conninfo, ["--kinds", "noop", "--exit-when-idle"])
        #expect(await ingestOnly.wait() == 0, "\(ingestOnly.log.suffix(600))")
    }

    /// Values around every bound of every parameter and option, each tried inside an otherwise
    /// valid set: SQL's backtest.validate_params and Swift's StrategySpec must accept the same ones.
    @Test func sqlAndSwiftAcceptTheSameParameterValues() throws {
        let db = try Connection(try TestCluster.shared.createMigratedDatabase())
        defer { db.close() }
        struct Parameter { var name: String; var whole: Bool; var min: Double; var max: Double?; var ordinal: Int }
        var byEngine: [String: [Parameter]] = [:]
        for row in try db.query("""
            select engine, name, value_type = 'whole' as whole, min_value::float8 as min, max_value::float8 as max, ordinal
              from backtest.engine_parameters order by engine, ordinal
            """).rows() {
            byEngine[try row.string("engine") ?? "", default: []].append(Parameter(
                name: try row.string("name") ?? "", whole: try row.bool("whole") ?? false, min: try row.double("min") ?? 0,
                max: try row.double("max"), ordinal: try row.int("ordinal") ?? 0))
        }
        var compared = 0
        var wrong: [String] = []
        func check(_ engine: Engine, _ params: [String: Double], allowShort: Bool? = nil) throws {
            var json = params.mapValues { $0 as Any }
            if let allowShort { json["allow_short"] = allowShort }
            let text = String(data: try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys]), encoding: .utf8)!
            let sql: Bool
            do {
                _ = try db.query("select backtest.validate_params($1, $2::jsonb) as ok", [engine.rawValue, JSONText(text)])
                sql = true
            } catch let error as PostgresError where error.sqlState == "22023" {
                sql = false
            }
            var flat = params
            if allowShort == true { flat[StrategySpec.allowShortKey] = 1 }
            let swift = (try? StrategySpec(engine: engine, parameters: flat)) != nil
            compared += 1
            if sql != swift { wrong.append("\(engine.rawValue) \(text): SQL \(sql), Swift \(swift)") }
        }
        for engine in Engine.allCases {
            let parameters = byEngine[engine.rawValue] ?? []
            // A valid baseline: whole numbers ascending (fast < slow), bounded numbers spread inside their range.
            var base: [String: Double] = [:]
            for p in parameters {
                if p.whole { base[p.name] = Double(10 * p.ordinal) }
                else if let max = p.max { base[p.name] = p.min + (max - p.min) * Double(p.ordinal) / Double(parameters.count + 1) }
                else { base[p.name] = p.min + Double(p.ordinal) }
            }
            try check(engine, base)
            for p in parameters {
                var probes = [p.min - 1, p.min, p.min + 0.5, p.min + 1, 0, -5, 0.25, 2, 1e7, 3.5]
                if let max = p.max { probes += [max - 1, max - 0.5, max, max + 0.5, max + 1] }
                for v in probes { var s = base; s[p.name] = v; try check(engine, s) }
                var missing = base; missing.removeValue(forKey: p.name); try check(engine, missing)
                for q in parameters where q.name != p.name { var s = base; s[p.name] = s[q.name]; try check(engine, s) }
            }
            var extra = base; extra["bogus"] = 1; try check(engine, extra)
            for v in [-1.0, 0, 0.5, 50, 99.5, 100, 150] {
                var s = base; s[StrategySpec.stopLossKey] = v; try check(engine, s)
                s = base; s[StrategySpec.takeProfitKey] = v; try check(engine, s)
            }
            try check(engine, base, allowShort: true)
            try check(engine, base, allowShort: false)
        }
        print("engine rules: \(compared) parameter sets compared between backtest.validate_params and StrategySpec, \(wrong.count) differ")
        #expect(compared > 300)
        #expect(wrong.count == 0, "\(wrong.prefix(10))")
    }

    /// docs/psql.md's engine table is bi.strategy_engines, row for row.
    @Test func theDocsTableIsTheView() throws {
        let db = try Connection(try TestCluster.shared.createMigratedDatabase())
        defer { db.close() }
        let docs = try String(contentsOfFile: Paths.repository.appendingPathComponent("docs/psql.md").path, encoding: .utf8)
        let rows = try db.query("select engine, parameters, rules from bi.strategy_engines order by ordinal").rows()
        let expected = try rows.map { "| `\(try $0.string("engine") ?? "")` | \(try $0.string("parameters") ?? "") | \(try $0.string("rules") ?? "") |" }
        let lines = docs.split(separator: "\n").map(String.init)
        guard let header = lines.firstIndex(of: "| engine | parameters | rules |") else {
            Issue.record("docs/psql.md has no engine table"); return
        }
        let table = Array(lines[(header + 2)...].prefix { $0.hasPrefix("|") })
        #expect(table == expected)
    }
}
