import Backtest
import Foundation
import Postgres

/// Loads what a swap or future backtest needs besides its candles (sql/0431, sql/0432), on a
/// connection of its own while the candles load: the funding times of the range (refusing a range
/// with missing funding rows unless the payload says "funding": "ignore"), then the mark-price
/// highs and lows of the range; once the candles are in, the marks are aligned with them.
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
    static let copyMark = """
        copy (select m.ts, m.high, m.low from market.mark_index_candles as m
               where m.inst_id = current_setting('candlestack.bt_inst') and m.price_type = 'mark'
                 and m.bar = current_setting('candlestack.bt_bar')
                 and m.ts >= current_setting('candlestack.bt_from')::timestamptz
                 and m.ts < current_setting('candlestack.bt_to')::timestamptz and m.confirmed
               order by m.ts) to stdout (format binary)
        """
    static let barCount = "select market.bar_count($1, $2::timestamptz, $3::timestamptz) as n"

    /// The funding events and mark columns of `p`'s range, read while the candles load.
    static func loadExtras(_ p: BacktestPayload, database: Database, kind: String) async throws -> ContractExtras {
        var extras = ContractExtras()
        let instID = p.instID, bar = p.bar, from = p.from, to = p.to
        if p.chargesFunding {
            let gaps = try await database.query(missing, [p.instID, p.from, p.to]).rows()
            if !gaps.isEmpty {
                let ranges = try gaps.map { "[\(try $0.string("lo") ?? "?"), \(try $0.string("hi") ?? "?"))" }
                throw JobFailure.permanent(
                    "\(kind): market.funding_rates has no funding rows of \(p.instID) in \(ranges.joined(separator: ", ")); "
                    + "backfill its funding rates, or set \"funding\": \"ignore\" in the payload to run without funding")
            }
            for r in try await database.query(events, [p.instID, p.from, p.to]).rows() {
                extras.funding.append(FundingEvent(time: try r.required("ms", r.int64), rate: try r.required("rate", r.double),
                                                   markPrice: try r.double("mark_price")))
            }
        }
        let expected = try await database.query(barCount, [bar, from, to]).first?.int64("n") ?? 0
        let capacity = Int(min(max(expected, 0), 10_000_000))
        extras.mark = try await database.withConnection { conn in
            try await conn.run { pg in
                try pg.withTransaction {
                    try pg.query(CandleLoader.setRange, [instID, bar, from, to])
                    var m = MarkColumns(capacity: capacity)
                    try pg.copyOutBinary(copyMark, fieldCount: 3) { try m.append(&$0) }
                    return m
                }
            }
        }
        return extras
    }

    /// The market of a contract run over `candles`: its funding events and the mark highs and lows
    /// aligned with the candles (NaN where a bar has no mark candle: the trade range stands in).
    static func market(candles: Candles, extras: ContractExtras) -> ContractMarket {
        guard !extras.mark.time.isEmpty else { return ContractMarket(funding: extras.funding) }
        var high = [Double](repeating: .nan, count: candles.count), low = high
        overlay(extras.mark, on: candles, high: &high, low: &low)
        return ContractMarket(funding: extras.funding, mark: MarkPrices(high: high, low: low))
    }

    /// Writes the rows of `m` (ascending times) onto the candles they fall on.
    static func overlay(_ m: MarkColumns, on candles: Candles, high: inout [Double], low: inout [Double]) {
        var i = 0
        for j in 0..<m.time.count {
            let t = m.time[j]
            while i < candles.count && candles.time[i] < t { i += 1 }
            guard i < candles.count else { break }
            if candles.time[i] == t { high[i] = m.high[j]; low[i] = m.low[j] }
        }
    }
}

/// What a contract run reads while its candles load (ContractLoader.loadExtras).
struct ContractExtras: Sendable {
    var funding: [FundingEvent] = []
    var mark = MarkColumns(capacity: 0)
}

/// Mark columns filled by a binary COPY on one connection. A value type filled through a local
/// variable of the COPY's closure, as CandleColumns (a class's arrays cost an exclusivity check and
/// a uniqueness check per append).
struct MarkColumns: Sendable {
    var time: [Int64] = []
    var high: [Double] = []
    var low: [Double] = []

    init(capacity: Int) {
        time.reserveCapacity(capacity); high.reserveCapacity(capacity); low.reserveCapacity(capacity)
    }

    @inline(__always)
    mutating func append(_ tuple: inout BinaryCopyTuple) throws {
        time.append(try tuple.timestampMs())
        high.append(try tuple.numeric("high"))
        low.append(try tuple.numeric("low"))
    }
}
