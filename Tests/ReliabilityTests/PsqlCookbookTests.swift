import Foundation
import Postgres
import Testing
import TestSupport

/// docs/psql.md is executed: every ```sql block runs, in order, with psql as a fresh login granted
/// candlestack_operator on a freshly migrated database (no workers, no OKX). Plain blocks must
/// succeed; a block fenced ```sql expect-error=XXXXX must fail with exactly that SQLSTATE.
/// docs/bi.md must name every view of schema bi and every column of each, with its type.
@Suite("Docs: the psql cookbook and the bi reference")
struct PsqlCookbookTests {
    struct Block: Sendable {
        var line: Int
        var sql: String
        var expectedState: String?
        /// Words after `sql` in the fence other than expect-error=..., e.g. `operator` in bi.md.
        var tags: [String] = []
    }

    /// The ```sql blocks of a Markdown text, in order; other fences (sh, text, ...) are skipped.
    static func sqlBlocks(_ markdown: String) -> [Block] {
        var blocks: [Block] = []
        var current: Block?
        var inOtherFence = false
        for (index, rawLine) in markdown.components(separatedBy: "\n").enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if var block = current {
                if line == "```" {
                    blocks.append(block)
                    current = nil
                } else {
                    block.sql += rawLine + "\n"
                    current = block
                }
                continue
            }
            if inOtherFence {
                if line == "```" { inOtherFence = false }
                continue
            }
            guard line.hasPrefix("```") else { continue }
            let info = line.dropFirst(3).split(separator: " ").map(String.init)
            if info.first == "sql" {
                let state = info.dropFirst().first { $0.hasPrefix("expect-error=") }.map { String($0.dropFirst("expect-error=".count)) }
                let tags = info.dropFirst().filter { !$0.hasPrefix("expect-error=") }
                current = Block(line: index + 1, sql: "", expectedState: state, tags: Array(tags))
            } else {
                inOtherFence = true
            }
        }
        return blocks
    }

    /// The `## ` section of bi.md whose heading names the view, up to the next `## ` heading.
    static func section(of view: String, in markdown: String) -> String? {
        var found: String?
        var collecting = false
        for line in markdown.components(separatedBy: "\n") {
            if line.hasPrefix("## ") {
                if collecting { break }
                collecting = line.contains("bi.\(view)`") || line.hasSuffix("bi.\(view)")
            }
            if collecting { found = (found ?? "") + line + "\n" }
        }
        return found
    }

    static var psql: String {
        FileManager.default.fileExists(atPath: "/usr/bin/psql") ? "/usr/bin/psql" : "/usr/lib/postgresql/15/bin/psql"
    }

    /// Runs a program to completion without blocking a cooperative thread: spawn, then poll with Task.sleep.
    static func runPolling(_ executable: String, _ arguments: [String]) async throws -> Shell.Output {
        let base = "\(FileManager.default.temporaryDirectory.path)/psql-doc-\(UUID().uuidString)"
        defer { unlink(base + ".out"); unlink(base + ".err") }
        let pid = try Shell.spawn(executable, arguments, stdout: base + ".out", stderr: base + ".err")
        var status = Shell.poll(pid)
        while status == nil {
            try await Task.sleep(for: .milliseconds(5))
            status = Shell.poll(pid)
        }
        return Shell.Output(status: status ?? -1,
                            stdout: (try? String(contentsOfFile: base + ".out", encoding: .utf8)) ?? "",
                            stderr: (try? String(contentsOfFile: base + ".err", encoding: .utf8)) ?? "")
    }

    /// Runs one block with psql as login; returns a complaint, or nil when it behaved as documented.
    static func run(_ block: Block, file docFile: String, conninfo: String, login: String) async throws -> String? {
        let path = "\(FileManager.default.temporaryDirectory.path)/psql-doc-\(UUID().uuidString).sql"
        try block.sql.write(toFile: path, atomically: true, encoding: .utf8)
        defer { unlink(path) }
        let out = try await runPolling(psql, ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", "\(conninfo) user=\(login)",
                                              "-c", "\\set VERBOSITY verbose", "-f", path])
        let state = out.stderr.range(of: #"ERROR:  ([0-9A-Z]{5}):"#, options: .regularExpression)
            .map { String(out.stderr[$0].dropFirst(8).prefix(5)) }
        let location = "\(docFile):\(block.line)"
        if let expected = block.expectedState {
            if out.status == 0 { return "\(location): expected SQLSTATE \(expected), but the block succeeded" }
            if state != expected { return "\(location): expected SQLSTATE \(expected), got \(state ?? "none"): \(out.stderr.prefix(300))" }
        } else if out.status != 0 {
            return "\(location): failed with \(state ?? "exit \(out.status)"): \(out.stderr.prefix(400))"
        }
        return nil
    }

    @Test func everyCookbookExampleRunsAsDocumented() async throws {
        let docPath = Paths.repository.appendingPathComponent("docs/psql.md").path
        let markdown = try String(contentsOfFile: docPath, encoding: .utf8)
        let blocks = Self.sqlBlocks(markdown)

        let conninfo = try TestCluster.shared.createMigratedDatabase()
        let admin = try Connection(conninfo)
        let login = "cookbook_\(getpid())_\(Int.random(in: 0..<1_000_000))"
        let quoted = Connection.quoteIdentifier(login)
        try admin.executeScript("create role \(quoted) login in role candlestack_operator")
        defer {
            _ = try? admin.executeScript("drop owned by \(quoted); drop role \(quoted)")
            admin.close()
        }

        var wrong: [String] = []
        for block in blocks {
            if let complaint = try await Self.run(block, file: "docs/psql.md", conninfo: conninfo, login: login) {
                wrong.append(complaint)
            }
        }

        // Every job kind the schema knows is documented.
        let kinds = try admin.query("select kind from queue.job_kinds order by kind").rows().map { try $0.string("kind") ?? "" }
        let undocumented = kinds.filter { !markdown.contains("`\($0)`") }

        print("psql cookbook: \(blocks.count) examples run as a candlestack_operator login, \(blocks.count - wrong.count) as documented"
              + (wrong.isEmpty ? "" : ", \(wrong.count) not") + "; \(kinds.count) job kinds, \(kinds.count - undocumented.count) documented")
        #expect(blocks.count >= 15, "docs/psql.md has only \(blocks.count) ```sql examples")
        #expect(blocks.contains { $0.expectedState != nil }, "docs/psql.md shows no refused row (```sql expect-error=...)")
        #expect(wrong.isEmpty, "\(wrong.joined(separator: "\n"))")
        #expect(undocumented.isEmpty, "job kinds missing from docs/psql.md: \(undocumented.joined(separator: ", "))")
    }

    @Test func biReferenceNamesEveryViewAndColumn() async throws {
        let docPath = Paths.repository.appendingPathComponent("docs/bi.md").path
        let markdown = try String(contentsOfFile: docPath, encoding: .utf8)
        let conninfo = try TestCluster.shared.createMigratedDatabase()
        let admin = try Connection(conninfo)
        defer { admin.close() }
        // pg_attribute rather than information_schema.columns: the latter leaves out materialized views.
        let rows = try admin.query("""
            select c.relname as view, a.attname as column, pg_catalog.format_type(a.atttypid, a.atttypmod) as type
              from pg_catalog.pg_class as c
              join pg_catalog.pg_namespace as n on n.oid = c.relnamespace
              join pg_catalog.pg_attribute as a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
             where n.nspname = 'bi' and c.relkind in ('v', 'm')
             order by c.relname, a.attnum
            """).rows()
        var missing: [String] = []
        var views = Set<String>()
        for row in rows {
            let view = try row.string("view") ?? ""
            let column = try row.string("column") ?? ""
            let type = try row.string("type") ?? ""
            views.insert(view)
            guard let section = Self.section(of: view, in: markdown) else {
                if !missing.contains("bi.\(view) (no `## ... bi.\(view)` section)") {
                    missing.append("bi.\(view) (no `## ... bi.\(view)` section)")
                }
                continue
            }
            // Each column is a table row: | `name` | type | meaning |, with the type as format_type spells it.
            if !section.contains("| `\(column)` | \(type) |") { missing.append("bi.\(view).\(column) (\(type))") }
        }

        // The plain-SQL examples run as a BI login set up as bi.md's "Connecting" says; blocks fenced
        // ```sql operator run as an operator login instead (refreshing the materialized views).
        let biLogin = "bi_\(getpid())_\(Int.random(in: 0..<1_000_000))"
        let operatorLogin = "op_\(getpid())_\(Int.random(in: 0..<1_000_000))"
        let bi = Connection.quoteIdentifier(biLogin), op = Connection.quoteIdentifier(operatorLogin)
        try admin.executeScript("""
            create role \(bi) login in role candlestack_bi;
            alter role \(bi) set default_transaction_read_only = on;
            alter role \(bi) set statement_timeout = '60s';
            alter role \(bi) set search_path = bi;
            create role \(op) login in role candlestack_operator;
            """)
        defer { _ = try? admin.executeScript("drop owned by \(bi); drop role \(bi); drop owned by \(op); drop role \(op)") }
        let blocks = Self.sqlBlocks(markdown)
        var wrong: [String] = []
        for block in blocks {
            let login = block.tags.contains("operator") ? operatorLogin : biLogin
            if let complaint = try await Self.run(block, file: "docs/bi.md", conninfo: conninfo, login: login) { wrong.append(complaint) }
        }
        let asBI = blocks.filter { !$0.tags.contains("operator") }.count
        print("bi reference: \(views.count) views, \(rows.count) columns, \(rows.count - missing.count) documented in docs/bi.md; "
              + "\(blocks.count) examples (\(asBI) as a candlestack_bi login), \(blocks.count - wrong.count) ran")
        #expect(views.count >= 9)
        #expect(wrong.isEmpty, "\(wrong.joined(separator: "\n"))")
        #expect(missing.isEmpty, "missing from docs/bi.md (or with another type): \(missing.joined(separator: ", "))")
    }
}
