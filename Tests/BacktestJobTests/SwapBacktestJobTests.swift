import Backtest
import Foundation
import Postgres
import Testing
import TestSupport
import Worker

/// A migrated database with a linear BTC-USDT-SWAP (ct_val 0.01, lot 0.01, lever 50), 3 days of 1m
/// candles and 8-hourly funding rows inserted directly (the data side fills them in production).
struct SwapFixture {
    let base: BacktestFixture
    static let inst = "BTC-USDT-SWAP"
    static let range = #""inst_id": "BTC-USDT-SWAP", "bar": "1m", "from": "2024-01-01", "to": "2024-01-04""#

    init() throws {
        base = try BacktestFixture(minutes: 0)
        let c = try base.connect()
        defer { c.close() }
        _ = try c.query("""
            insert into market.instruments (inst_id, inst_type, settle_ccy, ct_val, ct_type, lot_sz, raw)
            values ($1, 'SWAP', 'USDT', 0.01, 'linear', 0.01, '{"lever": "50"}')
            """, [Self.inst])
        _ = try c.query("select market.ensure_candle_partitions('2024-01-01Z', '2024-01-04Z')")
        _ = try c.query("""
            insert into market.candles (inst_id, bar, ts, open, high, low, close, volume)
            select $1, '1m', ts, round(o::numeric, 4), round((greatest(o, c) * 1.0005)::numeric, 4),
                   round((least(o, c) * 0.9995)::numeric, 4), round(c::numeric, 4), 1
              from (select '2024-01-01Z'::timestamptz + make_interval(mins => i) as ts,
                           40000 + 400 * sin(i / 300.0) + i * 0.1 as o,
                           40000 + 400 * sin((i + 1) / 300.0) + (i + 1) * 0.1 as c
                      from generate_series(0, 3 * 1440 - 1) as i) as s
            """, [Self.inst])
        // 8-hourly funding, from before the range to after it; the rate alternates in sign
        _ = try c.query("""
            insert into market.funding_rates (inst_id, funding_time, rate)
            select $1, t, case when extract(hour from t at time zone 'UTC') = 8 then -0.00005 else 0.0001 end
              from generate_series('2023-12-31 16:00Z'::timestamptz, '2024-01-04 08:00Z', '8 hours') as t
            """, [Self.inst])
    }

    func run(_ payload: String) async throws -> [String: Any] {
        try await base.run(BacktestHandler(), payload: "{\(Self.range), \(payload)}").result
    }
}

@Suite("swap backtest jobs")
struct SwapBacktestJobTests {
    @Test("a leveraged swap backtest stores its funding payments, contract terms and metrics as the engine computes them")
    func fundingIsChargedAndStored() async throws {
        let f = try SwapFixture()
        let result = try await f.run(#""engine": "buy_hold", "leverage": 3, "fee_rate": 0.0005"#)
        let runID = try #require(result["run_id"] as? Int)
        let c = try f.base.connect()
        defer { c.close() }
        let rows = try c.query("""
            select (extract(epoch from funding_time) * 1000)::int8 as t, rate, mark_price, contracts, amount
              from backtest.funding_payments where run_id = $1 order by funding_time
            """, [runID]).rows()
        // the same engine run on the same data, read independently
        let candles = try f.base.candles(inst: SwapFixture.inst)
        let funding = try c.query("""
            select (extract(epoch from funding_time) * 1000)::int8 as t, rate::float8 as r from market.funding_rates
             where inst_id = $1 and funding_time >= '2024-01-01Z' and funding_time < '2024-01-04Z' order by funding_time
            """, [SwapFixture.inst]).rows().map { FundingEvent(time: try $0.int64("t")!, rate: try $0.double("r")!) }
        let terms = ContractTerms(settlement: .linear, contractValue: 0.01, leverage: 3)
        let direct = try Backtester.run(candles: candles, spec: StrategySpec(engine: .buyHold, params: [:]),
                                        settings: RunSettings(feeRate: 0.0005, capital: 10_000, lotSize: 0.01, contract: terms),
                                        market: ContractMarket(funding: funding))
        let summary = try #require(direct.contract)
        // entered at the first bar's open (00:00 funding included): 9 funding times in 3 days
        #expect(funding.count == 9)
        #expect(rows.count == summary.payments.count)
        #expect(summary.payments.count == 8, "the entry fills at the second bar, after the 00:00 funding")
        for (row, p) in zip(rows, summary.payments) {
            #expect(try row.int64("t") == p.time)
            #expect(try row.double("amount") == p.amount)
            #expect(try row.double("contracts") == p.contracts)
            #expect(try row.double("mark_price") == p.markPrice)
        }
        #expect(try f.base.scalar("select funding_paid from backtest.metrics where run_id = $1", [runID]) == "\(summary.fundingPaid)")
        #expect(try f.base.scalar("select liquidations from backtest.metrics where run_id = $1", [runID]) == "0")
        #expect(try f.base.scalar("select final_equity from backtest.metrics where run_id = $1", [runID]) == "\(direct.metrics.finalEquity)")
        #expect(try f.base.scalar("select leverage || ' ' || ct_type || ' ' || funding from backtest.run_contracts where run_id = $1", [runID]) == "3 linear charged")
        // contracts: 10,000 x 3 / (0.01 x price x (1 + 3 x 0.0005)) in lots of 0.01, price about 40,000
        let size = try #require(try f.base.scalar("select size from backtest.trades where run_id = $1", [runID]).flatMap(Double.init))
        #expect(size > 74 && size < 76 && (size * 100).rounded() == size * 100)
        #expect(summary.fundingPaid > 0)
        #expect(approx(result["funding_paid"] as? Double, summary.fundingPaid), "the job result carries it too")
    }

    @Test("a run whose range lacks funding rows refuses to start naming the range, unless funding is ignored")
    func missingFundingIsRefused() async throws {
        let f = try SwapFixture()
        _ = try f.base.scalar("delete from market.funding_rates where funding_time = '2024-01-02 08:00Z'")
        var message = ""
        do {
            _ = try await f.run(#""engine": "buy_hold""#)
        } catch {
            message = "\(error)"
        }
        #expect(message.contains("[2024-01-02T00:00:00Z, 2024-01-02T16:00:00Z)"), "\(message)")
        #expect(message.contains(#""funding": "ignore""#))
        #expect(try f.base.scalar("select count(*) from backtest.runs") == "0")

        let result = try await f.run(#""engine": "buy_hold", "funding": "ignore""#)
        let runID = try #require(result["run_id"] as? Int)
        #expect(try f.base.scalar("select funding from backtest.run_contracts where run_id = $1", [runID]) == "ignore")
        #expect(try f.base.scalar("select count(*) from backtest.funding_payments where run_id = $1", [runID]) == "0")
        #expect(try f.base.scalar("select funding_paid from backtest.metrics where run_id = $1", [runID]) == "0")
        #expect(try f.base.scalar("select note from backtest.runs where id = $1", [runID])?.contains("funding ignored") == true)
    }

    @Test("a mark price crossing the liquidation price liquidates the position; the trade says so")
    func markCandlesLiquidate() async throws {
        let f = try SwapFixture()
        let c = try f.base.connect()
        defer { c.close() }
        // market.mark_index_candles (migrations/0022) is partitioned by month like market.candles
        _ = try c.query("select market.ensure_mark_index_candle_partitions('2024-01-01Z', '2024-02-01Z')")
        // one mark wick 5% below the trade price at 2024-01-02 12:00: 50x liquidates at about -1.5%
        _ = try c.query("""
            insert into market.mark_index_candles (ts, price_type, inst_id, bar, open, high, low, close)
            select ts, 'mark', inst_id, '1m', open, high, low * 0.95, close from market.candles
             where inst_id = $1 and bar = '1m' and ts = '2024-01-02 12:00Z'
            """, [SwapFixture.inst])
        let result = try await f.run(#""engine": "buy_hold", "leverage": 50, "maintenance_margin_ratio": 0.005"#)
        let runID = try #require(result["run_id"] as? Int)
        #expect(try f.base.scalar("select exit_reason || ' ' || (queue.json_utc(exit_time) #>> '{}') from backtest.trades where run_id = $1", [runID])
                == "liquidation 2024-01-02T12:00:00Z")
        #expect(try f.base.scalar("select liquidations from backtest.metrics where run_id = $1", [runID]) == "1")
        // after the liquidation the position is gone: no funding from 16:00 on
        #expect(try f.base.scalar("select queue.json_utc(max(funding_time)) #>> '{}' from backtest.funding_payments where run_id = $1", [runID]) == "2024-01-02T08:00:00Z")
    }
}
