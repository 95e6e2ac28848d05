import Foundation
import Testing
import TestSupport

/// A source check, no database: Swift code under Sources/ never builds SQL text out of values.
/// Values go to the server as parameters ($1, $2, ...); the only text spliced into SQL is an
/// identifier quoted by `Connection.quoteIdentifier(...)` (LISTEN channels, CREATE DATABASE).
///
/// The scanner flags
/// - a string literal ("..." or """...""", raw or not) that looks like SQL and interpolates `\(...)`
///   anything but `Connection.quoteIdentifier(...)` / `Self.quoteIdentifier(...)`;
/// - a `+` chain of string literals and other expressions that looks like SQL and concatenates an
///   operand that is neither a string literal nor one of those quoteIdentifier calls.
/// "Looks like SQL" means SQL shape, not a keyword anywhere: the text (interpolations and
/// non-literal operands read as `?`) starts with a statement keyword followed by what that statement
/// needs (`insert into`, `delete from`, `update x set`, `listen name`, ...), or contains
/// `select ... from`, `insert into`, `delete from`, `update x set` or `on conflict`. Log lines and error
/// messages that merely contain English words like "select" or "from" do not match.
@Suite("No SQL built by interpolation")
struct NoSQLInterpolationTests {
    @Test func sourcesDoNotInterpolateValuesIntoSQL() throws {
        let sources = Paths.repository.appendingPathComponent("Sources")
        let files = try Self.swiftFiles(under: sources)
        #expect(files.count > 20, "found only \(files.count) .swift files under \(sources.path)")
        let scanner = try SQLInterpolationScanner()
        var findings: [SQLInterpolationScanner.Finding] = []
        var sqlLiterals = 0
        let root = Paths.repository.path + "/"
        for file in files {
            let text = try String(contentsOfFile: file, encoding: .utf8)
            let name = file.hasPrefix(root) ? String(file.dropFirst(root.count)) : file
            let result = scanner.scan(text, file: name)
            findings += result.findings
            sqlLiterals += result.sqlLiterals
        }
        // The scanner must have recognised the SQL the package does send (the migrator, the worker's
        // queue calls, ...): if this drops to zero, the scanner broke rather than the code got clean.
        #expect(sqlLiterals >= 20, "recognised only \(sqlLiterals) SQL literals under Sources/")
        for f in findings {
            Issue.record("\(f.file):\(f.line): \(f.reason): \(f.snippet)")
        }
    }

    @Test func scannerCatchesInterpolatedAndConcatenatedSQL() throws {
        let scanner = try SQLInterpolationScanner()
        let bad = ##"""
        func a(conn: Connection, instId: String, id: Int64, channel: String, table: String) throws {
            try conn.query("select * from market.candles where inst_id = '\(instId)'")
            try conn.query("""
                delete from queue.jobs
                 where id = \(id)
                """)
            let sql = "select * from queue.jobs where id = " + String(id)
            try conn.executeScript("listen " + channel)
            try conn.query(#"update \#(table) set enabled = false"#)
            try conn.query("notify \(channel)")
        }
        """##
        let result = scanner.scan(bad, file: "Bad.swift")
        #expect(result.findings.map { $0.line } == [2, 5, 7, 8, 9, 10], "\(String(describing: result.findings))")
        #expect(result.findings.first?.snippet.contains("instId") == true)

        let good = ##"""
        func b(conn: Connection, name: String, path: String, c: Int, channel: String) throws {
            try conn.query("select * from market.candles where inst_id = $1", [name])
            try conn.executeScript("create database \(Connection.quoteIdentifier(name))")
            try conn.executeScript("listen " + Self.quoteIdentifier(channel))
            log("would apply \(path) (select the newest from \(c) files)")
            log("column \(name) has \(c) values, set \(path) to update")
            throw ValidationError("--from: cannot read \(path)")
            let q = "select kind, count(*) from queue.jobs " + "group by kind"
            // try conn.query("select * from t where id = \(c)")
            /* conn.query("delete from t where id = \(c)") */
        }
        """##
        let clean = scanner.scan(good, file: "Good.swift")
        #expect(clean.findings.isEmpty, "\(String(describing: clean.findings))")
        #expect(clean.sqlLiterals == 4)
    }

    static func swiftFiles(under dir: URL) throws -> [String] {
        guard let e = FileManager.default.enumerator(atPath: dir.path) else { return [] }
        var out: [String] = []
        while let rel = e.nextObject() as? String {
            if rel.hasSuffix(".swift") { out.append(dir.appendingPathComponent(rel).path) }
        }
        return out.sorted()
    }
}

/// A small Swift lexer (comments, string literals with interpolation, raw strings) and an SQL-shape test.
struct SQLInterpolationScanner {
    struct Finding: CustomStringConvertible {
        var file: String
        var line: Int
        var reason: String
        var snippet: String
        var description: String { "\(file):\(line): \(reason): \(snippet)" }
    }

    struct Literal {
        var start: Int          // byte offset of the opening delimiter (including #s)
        var end: Int            // byte offset just past the closing delimiter
        var line: Int
        var text: String        // the literal's text, each interpolation read as " ? "
        var interpolations: [(expr: String, line: Int)]
    }

    static let allowedPrefixes = ["Connection.quoteIdentifier(", "Self.quoteIdentifier("]

    private let startPatterns: [NSRegularExpression]
    private let anywherePatterns: [NSRegularExpression]

    init() throws {
        let id = #"(?:"[^"]*"|[\w$.?]+)"#  // an identifier, a quoted one, or a placeholder
        let start = [
            #"^select\s+\S"#,
            #"^insert\s+into\s"#,
            #"^update\s+\#(id)\s+(?:as\s+\w+\s+)?set\s"#,
            #"^delete\s+from\s"#,
            #"^copy\s+\#(id)[\s\S]*\b(?:from|to)\s+(?:stdin|stdout|'|\?)"#,
            #"^call\s+[\w.]+\s*\("#,
            #"^with\s+(?:recursive\s+)?\w+(?:\s*\([^)]*\))?\s+as\s+(?:not\s+)?(?:materialized\s+)?\("#,
            #"^(?:create|alter|drop)\s+(?:or\s+replace\s+)?(?:temp\s+|temporary\s+|unique\s+|materialized\s+|unlogged\s+)*(?:table|index|view|database|schema|role|user|function|procedure|trigger|extension|sequence|type|policy|publication|subscription)\b"#,
            #"^(?:grant|revoke)\s[\s\S]*\b(?:on|to|from)\s"#,
            #"^set\s+(?:local\s+|session\s+)?[\w.]+\s*(?:=|to\s)"#,
            #"^(?:listen|unlisten)\s+\#(id)\s*;?\s*$"#,
            #"^notify\s+\#(id)\s*(?:,|;|$)"#,
            #"^truncate\s+(?:table\s+)?[\w.?]+"#,
            #"^refresh\s+materialized\s+view\s"#,
            #"^explain\s+(?:\(|analyze\s|verbose\s|select\s)"#,
        ]
        let anywhere = [
            #"\bselect\s[\s\S]*\bfrom\s+[\w.?"]+\s*(?:as\s+\w+|where|join|group|order|limit|;|$)"#,
            #"\binsert\s+into\s+[\w.?"]+"#,
            #"\bdelete\s+from\s+[\w.?"]+"#,
            #"\bupdate\s+[\w.?"]+\s+(?:as\s+\w+\s+)?set\s+\w+\s*="#,
            #"\bon\s+conflict\s*(?:\(|on\s|do\s)"#,
        ]
        startPatterns = try start.map { try NSRegularExpression(pattern: $0, options: [.caseInsensitive]) }
        anywherePatterns = try anywhere.map { try NSRegularExpression(pattern: $0, options: [.caseInsensitive]) }
    }

    /// Whether text (interpolations and non-literal operands already read as "?") has SQL shape.
    func looksLikeSQL(_ text: String) -> Bool {
        // leading whitespace and SQL line comments do not count
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        while let first = lines.first, first.isEmpty || first.hasPrefix("--") { lines.removeFirst() }
        let s = lines.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
        let range = NSRange(s.startIndex..., in: s)
        if startPatterns.contains(where: { $0.firstMatch(in: s, range: range) != nil }) { return true }
        return anywherePatterns.contains(where: { $0.firstMatch(in: s, range: range) != nil })
    }

    func scan(_ source: String, file: String) -> (findings: [Finding], sqlLiterals: Int) {
        let b = Array(source.utf8)
        let literals = Self.lex(b)
        var findings: [Finding] = []
        var sql = 0
        var i = 0
        while i < literals.count {
            // a chain: literal (+ operand)* where operands may be literals or other expressions
            var members: [Int] = [i]
            var others: [(expr: String, line: Int)] = []
            var text = literals[i].text
            // left operand: `x + "..."` (not `+=`)
            if let left = Self.leftOperand(b, before: literals[i].start) {
                others.append((left, literals[i].line))
                text = " ? " + text
            }
            var pos = literals[i].end
            var j = i + 1
            while let plus = Self.plusAfter(b, pos) {
                var p = plus + 1
                while p < b.count, b[p] == 32 || b[p] == 9 || b[p] == 10 || b[p] == 13 { p += 1 }
                if j < literals.count, literals[j].start == p {
                    members.append(j); text += literals[j].text; pos = literals[j].end; j += 1
                } else {
                    let (expr, end) = Self.operand(b, from: p)
                    if expr.isEmpty { break }
                    others.append((expr, Self.line(b, at: p)))
                    text += " ? "
                    pos = end
                    while j < literals.count, literals[j].start < end { j += 1 }  // literals inside the operand
                }
            }
            if looksLikeSQL(text) {
                sql += 1
                for m in members {
                    for (expr, line) in literals[m].interpolations where !Self.allowed(expr) {
                        findings.append(Finding(file: file, line: line, reason: "SQL literal interpolates a value",
                                                snippet: "\\(" + expr + ")"))
                    }
                }
                for (expr, line) in others where !Self.allowed(expr) {
                    findings.append(Finding(file: file, line: line, reason: "SQL built by + concatenation",
                                            snippet: expr))
                }
            }
            i = max(j, i + 1)
        }
        return (findings.sorted { $0.line < $1.line }, sql)
    }

    static func allowed(_ expr: String) -> Bool {
        let e = expr.trimmingCharacters(in: .whitespacesAndNewlines)
        return allowedPrefixes.contains { e.hasPrefix($0) } && e.hasSuffix(")")
    }

    static func line(_ b: [UInt8], at pos: Int) -> Int {
        1 + b[0..<min(pos, b.count)].reduce(0) { $0 + ($1 == 10 ? 1 : 0) }
    }

    static func isSpace(_ c: UInt8) -> Bool { c == 32 || c == 9 || c == 10 || c == 13 }

    /// The offset of a binary `+` after pos (skipping whitespace), not `+=` or `++`.
    static func plusAfter(_ b: [UInt8], _ pos: Int) -> Int? {
        var p = pos
        while p < b.count, isSpace(b[p]) { p += 1 }
        guard p < b.count, b[p] == UInt8(ascii: "+") else { return nil }
        if p + 1 < b.count, b[p + 1] == UInt8(ascii: "=") || b[p + 1] == UInt8(ascii: "+") { return nil }
        return p
    }

    /// The expression right of a `+`: identifiers, member access, calls and subscripts, balanced.
    static func operand(_ b: [UInt8], from start: Int) -> (String, Int) {
        var p = start, depth = 0
        while p < b.count {
            let c = b[p]
            if c == UInt8(ascii: "(") || c == UInt8(ascii: "[") { depth += 1 }
            else if c == UInt8(ascii: ")") || c == UInt8(ascii: "]") {
                if depth == 0 { break }
                depth -= 1
            } else if c == UInt8(ascii: "\"") {
                if depth == 0 { break }
                p = skipString(b, p, hashes: 0); continue
            } else if depth == 0 && (isSpace(c) || c == UInt8(ascii: ",") || c == UInt8(ascii: "}")
                                     || c == UInt8(ascii: "+") || c == UInt8(ascii: ";")) { break }
            p += 1
        }
        return (String(decoding: b[start..<p], as: UTF8.self), p)
    }

    /// The expression left of `+ "..."` when the literal is the right operand of a binary `+`.
    static func leftOperand(_ b: [UInt8], before start: Int) -> String? {
        var p = start - 1
        while p >= 0, isSpace(b[p]) { p -= 1 }
        guard p >= 1, b[p] == UInt8(ascii: "+"), b[p - 1] != UInt8(ascii: "+") else { return nil }
        p -= 1
        while p >= 0, isSpace(b[p]) { p -= 1 }
        guard p >= 0, b[p] != UInt8(ascii: "\"") && b[p] != UInt8(ascii: "#") else { return nil }
        let end = p + 1
        var depth = 0
        while p >= 0 {
            let c = b[p]
            if c == UInt8(ascii: ")") || c == UInt8(ascii: "]") { depth += 1 }
            else if c == UInt8(ascii: "(") || c == UInt8(ascii: "[") {
                if depth == 0 { break }
                depth -= 1
            } else if depth == 0 && (isSpace(c) || c == UInt8(ascii: ",") || c == UInt8(ascii: "=")
                                     || c == UInt8(ascii: "{")) { break }
            p -= 1
        }
        return String(decoding: b[(p + 1)..<end], as: UTF8.self)
    }

    // MARK: lexing

    /// Top-level string literals of a Swift source, in order; comments are skipped.
    static func lex(_ b: [UInt8]) -> [Literal] {
        var out: [Literal] = []
        var i = 0, line = 1
        while i < b.count {
            let c = b[i]
            if c == 10 { line += 1; i += 1; continue }
            if c == UInt8(ascii: "/"), i + 1 < b.count, b[i + 1] == UInt8(ascii: "/") {
                while i < b.count, b[i] != 10 { i += 1 }
                continue
            }
            if c == UInt8(ascii: "/"), i + 1 < b.count, b[i + 1] == UInt8(ascii: "*") {
                var depth = 0
                repeat {
                    if b[i] == 10 { line += 1 }
                    if b[i] == UInt8(ascii: "/"), i + 1 < b.count, b[i + 1] == UInt8(ascii: "*") { depth += 1; i += 2; continue }
                    if b[i] == UInt8(ascii: "*"), i + 1 < b.count, b[i + 1] == UInt8(ascii: "/") { depth -= 1; i += 2; continue }
                    i += 1
                } while i < b.count && depth > 0
                continue
            }
            var hashes = 0
            while i + hashes < b.count, b[i + hashes] == UInt8(ascii: "#") { hashes += 1 }
            if i + hashes < b.count, b[i + hashes] == UInt8(ascii: "\"") {
                let lit = readString(b, i, hashes: hashes, line: line)
                out.append(lit)
                line += b[lit.start..<lit.end].reduce(0) { $0 + ($1 == 10 ? 1 : 0) }
                i = lit.end
                continue
            }
            i += max(hashes, 1)
        }
        return out
    }

    static func skipString(_ b: [UInt8], _ i: Int, hashes: Int) -> Int {
        readString(b, i, hashes: hashes, line: 0).end
    }

    /// Reads the literal starting at i (at its first `#` or `"`).
    static func readString(_ b: [UInt8], _ start: Int, hashes: Int, line startLine: Int) -> Literal {
        let q = UInt8(ascii: "\""), bs = UInt8(ascii: "\\"), hash = UInt8(ascii: "#")
        var i = start + hashes
        let multi = i + 2 < b.count && b[i + 1] == q && b[i + 2] == q
        i += multi ? 3 : 1
        var line = startLine + (start..<i).filter { b[$0] == 10 }.count
        var text: [UInt8] = []
        var interps: [(expr: String, line: Int)] = []
        func hashesAt(_ p: Int) -> Bool {
            guard p + hashes <= b.count else { return false }
            return (0..<hashes).allSatisfy { b[p + $0] == hash }
        }
        while i < b.count {
            let c = b[i]
            if c == q {
                let closing = multi ? (i + 2 < b.count && b[i + 1] == q && b[i + 2] == q) : true
                let after = i + (multi ? 3 : 1)
                if closing && hashesAt(after) {
                    return Literal(start: start, end: after + hashes, line: startLine,
                                   text: String(decoding: text, as: UTF8.self), interpolations: interps)
                }
                text.append(c); i += 1; continue
            }
            if c == bs && hashesAt(i + 1) {
                let n = i + 1 + hashes
                if n < b.count, b[n] == UInt8(ascii: "(") {
                    // interpolation: up to the matching paren, nested strings included
                    var p = n + 1, depth = 1
                    let exprLine = line
                    while p < b.count {
                        let d = b[p]
                        if d == 10 { line += 1 }
                        if d == UInt8(ascii: "(") { depth += 1 }
                        else if d == UInt8(ascii: ")") { depth -= 1; if depth == 0 { break } }
                        else if d == q || d == hash {
                            var h = 0
                            while p + h < b.count, b[p + h] == hash { h += 1 }
                            if p + h < b.count, b[p + h] == q {
                                let inner = readString(b, p, hashes: h, line: line)
                                line += b[inner.start..<inner.end].reduce(0) { $0 + ($1 == 10 ? 1 : 0) }
                                p = inner.end; continue
                            }
                        }
                        p += 1
                    }
                    interps.append((expr: String(decoding: b[(n + 1)..<min(p, b.count)], as: UTF8.self), line: exprLine))
                    text += Array(" ? ".utf8)
                    i = p + 1
                    continue
                }
                // an escape: keep the escaped character (\n, \", \\, ...) as itself
                if n < b.count { text.append(b[n]); if b[n] == 10 { line += 1 } }
                i = n + 1
                continue
            }
            if c == 10 { line += 1 }
            text.append(c)
            i += 1
        }
        return Literal(start: start, end: b.count, line: startLine,
                       text: String(decoding: text, as: UTF8.self), interpolations: interps)
    }
}
