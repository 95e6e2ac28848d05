// The instrument-id shape: InstrumentID.isWellFormed (the CLI's flags) against SQL's
// market.is_inst_id (migrations/0008_market_inst_id.sql), the truth, on the same strings.

import OKX
import Postgres
import TestSupport
import Testing

@Suite("drift: the instrument-id rule in Swift and in SQL")
struct InstrumentIDDriftTests {
    /// Hand-picked ids and near misses, and every string of up to 5 characters over a small alphabet.
    static func candidates() -> [String] {
        var out = ["BTC-USDT", "BTC-USDT-SWAP", "BTC-USD-240628", "BTC-USD-240628-60000-C", "1INCH-USDT", "A-B",
                   "btc-usdt", "BTC", "BTC-", "-BTC", "BTC--USDT", "BTC-USDT-SWAP-X-Y", "BTC-USDT-SWAP-X-Y-Z", "BTC_USDT", "BTC USDT",
                   "BTC-USDT ", "ÄBC-USDT", "BTC-ＵSDT", "", "-", "--", "BTC-USDT\n"]
        let alphabet: [Character] = ["A", "9", "-", "a"]
        var level = [""]
        for _ in 1...5 {
            level = level.flatMap { s in alphabet.map { s + String($0) } }
            out += level
        }
        return out
    }

    @Test("InstrumentID.isWellFormed accepts exactly what market.is_inst_id accepts")
    func sameShape() throws {
        let conninfo = try TestCluster.shared.createMigratedDatabase()
        let db = try Connection(conninfo)
        defer { db.close() }
        let strings = Self.candidates()
        let rows = try db.query("select s.id, market.is_inst_id(s.id) as ok from unnest($1::text[]) with ordinality as s(id, n) order by s.n",
                                [strings])
        var wrong: [String] = []
        var accepted = 0
        for (i, row) in rows.rows().enumerated() {
            let sql = try row.bool("ok") == true
            if sql { accepted += 1 }
            if sql != InstrumentID.isWellFormed(strings[i]) { wrong.append("\"\(strings[i])\": SQL \(sql), Swift \(!sql)") }
        }
        print("drift: instrument ids, \(strings.count) strings compared (\(accepted) well-formed), \(wrong.count) differ")
        #expect(rows.count == strings.count)
        #expect(accepted > 50)
        #expect(wrong.count == 0, "\(wrong.prefix(10))")
    }
}
