import Backtest
import Foundation
import Postgres

/// Loads what a swap or future backtest needs besides its candles: the funding times of the range
/// (refusing a range with missing funding rows unless the payload says "funding": "ignore") and
/// the mark-price highs and lows aligned with the candles (sql/0431, sql/0432).
enum ContractLoader {
    static let missing = """
        select queue.json_utc(m.missing_from) #>> '{}' as lo, queue.json_utc(m.missing_to) #>> '{}' as hi
          from backtest.funding_missing($1, $2::timestamptz, $3::timestamptz) as m
        """
    static let events = """
        select (extract(epoch from e.funding_time) * 1000)::int8 as ms, e.rate, e.mark_price
          from backtest.funding_events($1, $2::timestamptz, $3::timestamptz) as e
        """
    /// Mark highs and lows by binary COPY, straight from the table as CandleLoader reads
    /// market.candles (COPY takes no bind parameters: the range travels through
    /// CandleLoader.setRange's settings). The same rows as backtest.mark_range, whose plpgsql
    /// result set would be materialised first (1M rows: about a second more).
    static let hasMarkTable = "select pg_catalog.to_regclass('market.mark_index_candles') is not null as present"
    static let copyMark = """
        copy (select m.ts, m.high, m.low from market.mark_index_candles as m
               where m.inst_id = current_setting('candlestack.bt_inst') and m.price_type = 'mark'
                 and m.bar = current_setting('candlestack.bt_bar')
                 and m.ts >= current_setting('candlestack.bt_from')::timestamptz
                 and m.ts < current_setting('candlestack.bt_to')::timestamptz and m.confirmed
               order by m.ts) to stdout (format binary)
        """

    /// The mark columns of the payload's range (empty when there is no mark table); read while
    /// the candles load.
    static func loadMark(_ p: BacktestPayload, database: Database) async throws -> MarkColumns {
        let m = MarkColumns()
        guard try await database.query(hasMarkTable).first?.bool("present") == true else { return m }
        let instID = p.instID, bar = p.bar, from = p.from, to = p.to
        _ = try await database.withConnection { conn in
            try await conn.run { pg in
                try pg.withTransaction {
                    try pg.query(CandleLoader.setRange, [instID, bar, from, to])
                    return try pg.copyOutBinary(copyMark, fieldCount: 3) { try m.append(&$0) }
                }
            }
        }
        return m
    }

    /// The market of `p` (a contract payload) over `candles`; throws a permanent failure naming
    /// the missing funding stretches.
    static func load(_ p: BacktestPayload, candles: Candles, mark m: MarkColumns, database: Database,
                     kind: String) async throws -> ContractMarket {
        var funding: [FundingEvent] = []
        if p.chargesFunding {
            let gaps = try await database.query(missing, [p.instID, p.from, p.to]).rows()
            if !gaps.isEmpty {
                let ranges = try gaps.map { "[\(try $0.string("lo") ?? "?"), \(try $0.string("hi") ?? "?"))" }
                throw JobFailure.permanent(
                    "\(kind): market.funding_rates has no funding rows of \(p.instID) in \(ranges.joined(separator: ", ")); "
                    + "backfill its funding rates, or set \"funding\": \"ignore\" in the payload to run without funding")
            }
            for r in try await database.query(events, [p.instID, p.from, p.to]).rows() {
                funding.append(FundingEvent(time: try r.required("ms", r.int64), rate: try r.required("rate", r.double),
                                            markPrice: try r.double("mark_price")))
            }
        }
        guard !m.time.isEmpty else { return ContractMarket(funding: funding) }
        var high = [Double](repeating: .nan, count: candles.count), low = high
        var i = 0
        for j in 0..<m.time.count {
            let t = m.time[j]
            while i < candles.count && candles.time[i] < t { i += 1 }
            guard i < candles.count else { break }
            if candles.time[i] == t { high[i] = m.high[j]; low[i] = m.low[j] }
        }
        return ContractMarket(funding: funding, mark: MarkPrices(high: high, low: low))
    }
}

/// Mark columns filled by a binary COPY on one connection.
final class MarkColumns: @unchecked Sendable {
    var time: [Int64] = []
    var high: [Double] = []
    var low: [Double] = []

    @inline(__always)
    func append(_ tuple: inout BinaryCopyTuple) throws {
        time.append(try tuple.timestampMs())
        high.append(try tuple.numeric("high"))
        low.append(try tuple.numeric("low"))
    }
}
