import Foundation
import Postgres
import Testing
import TestSupport

@Suite("COPY in and out")
struct CopyTests {
    @Test func copiesOneHundredThousandRowsInAndOut() throws {
        let connection = try Connection(TestCluster.shared.createMigratedDatabase())
        try connection.query("create table copy_test (id int8 primary key, price numeric not null, note text)")
        let n = 100_000
        let copied = try connection.copyIn("copy copy_test (id, price, note) from stdin") { writer in
            for i in 0..<n {
                try writer.write("\(i)\t\(i).\(i % 97)\t\(CopyInWriter.escapeText("row\t\(i)\n"))\n")
            }
        }
        #expect(copied == n)
        let stats = try #require(try connection.query("select count(*) as n, sum(id) as s from copy_test").first)
        #expect(try stats.int("n") == n)
        #expect(try stats.int64("s") == Int64(n * (n - 1) / 2))

        var seen = 0
        var lastLine = ""
        try connection.query("begin")
        try connection.query("select set_config('candlestack.min_id', $1, true)", ["0"])
        let out = try connection.copyOut("copy (select id, price, note from copy_test where id >= current_setting('candlestack.min_id')::int8 order by id) to stdout") { bytes in
            seen += 1
            lastLine = String(decoding: bytes, as: UTF8.self)
        }
        try connection.query("commit")
        #expect(out == n)
        #expect(seen == n)
        #expect(lastLine == "99999\t99999.89\trow\\t99999\\n\n")
    }

    @Test func aFailedCopyKeepsNothing() throws {
        let connection = try Connection(TestCluster.shared.createMigratedDatabase())
        try connection.query("create table copy_fail (id int8 primary key)")
        #expect(throws: PostgresError.self) {
            try connection.copyIn("copy copy_fail from stdin") { writer in
                try writer.write("1\n2\nnot-a-number\n")
            }
        }
        struct Stop: Error {}
        #expect(throws: Stop.self) {
            try connection.copyIn("copy copy_fail from stdin") { writer in
                try writer.write("1\n")
                throw Stop()
            }
        }
        #expect(try connection.query("select count(*) as n from copy_fail").first?.int("n") == 0)
    }
}
