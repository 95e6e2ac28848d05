import BacktestReport
import Foundation
import Postgres

/// The `/coins` sparklines: each of the first 50 listed coins' 1m closes over the 24 hours up to
/// its newest stored 1m candle, folded into 48 buckets by bi.candle_buckets (last close of each).
/// A coin without stored 1m candles has none.
enum Sparklines {
    static let coins = 50, buckets = 48

    /// Rows (instrument, bucket, close) of the coins `bi.top_coins` lists first for `quote`.
    static func section(quote: String?, limit: Int) -> Section {
        Section(name: "sparklines", title: "24 h closes",
                sql: """
                with c as (select instrument from bi.top_coins where ($1::text is null or quote_currency = $1)
                            order by rank, instrument limit least($2::integer, $3::integer)),
                     n as (select c.instrument,
                                  (select k.open_time from bi.candles as k where k.instrument = c.instrument and k.bar = '1m'
                                    order by k.open_time desc limit 1) as newest
                             from c)
                select n.instrument, b.bucket, b.close
                  from n cross join lateral bi.candle_buckets(n.instrument, '1m', n.newest - interval '24 hours',
                                                              n.newest + interval '1 second', $4::integer) as b
                 where n.newest is not null
                 order by n.instrument, b.bucket
                """, parameters: [quote, limit, coins, buckets], table: false)
    }

    /// The sparkline SVG of each instrument in `result`.
    static func cells(_ result: QueryResult?) -> [String: String] {
        var closes: [String: [Double]] = [:]
        for r in result?.rows() ?? [] {
            guard let inst = try? r.string("instrument"), let c = try? r.double("close") else { continue }
            closes[inst, default: []].append(c)
        }
        return closes.mapValues { Charts.sparkline($0, label: "24 h closes") }
            .reduce(into: [:]) { out, kv in out[kv.key] = kv.value.isEmpty ? nil : kv.value }
    }
}
