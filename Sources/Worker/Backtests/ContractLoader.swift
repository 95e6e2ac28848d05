import Backtest
import Foundation

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
    static let mark = """
        select (extract(epoch from m.ts) * 1000)::int8 as ms, m.high, m.low
          from backtest.mark_range($1, $2, $3::timestamptz, $4::timestamptz) as m
        """

    /// The market of `p` (a contract payload) over `candles`; throws a permanent failure naming
    /// the missing funding stretches.
    static func load(_ p: BacktestPayload, candles: Candles, database: Database, kind: String) async throws -> ContractMarket {
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
        let rows = try await database.query(mark, [p.instID, p.bar, p.from, p.to]).rows()
        guard !rows.isEmpty else { return ContractMarket(funding: funding) }
        var high = [Double](repeating: .nan, count: candles.count), low = high
        var i = 0
        for r in rows {
            let t = try r.required("ms", r.int64)
            while i < candles.count && candles.time[i] < t { i += 1 }
            guard i < candles.count else { break }
            if candles.time[i] == t {
                high[i] = try r.required("high", r.double)
                low[i] = try r.required("low", r.double)
            }
        }
        return ContractMarket(funding: funding, mark: MarkPrices(high: high, low: low))
    }
}
