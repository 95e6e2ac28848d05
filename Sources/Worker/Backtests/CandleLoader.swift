import Backtest
import Foundation
import Logging
import Postgres

/// Candles of [from, to) of one instrument and bar, as engine columns, and what is known about gaps.
public struct LoadedCandles: Sendable {
    public var candles: Candles
    /// True when the bar was not stored and the candles were resampled from 1m in SQL.
    public var resampled: Bool
    /// Runs of missing bars (market.gaps rows); 0 when contiguous.
    public var gapCount: Int64
    /// Bars missing in the range.
    public var missingBars: Int64
    /// Milliseconds spent loading.
    public var loadMs: Double
}

/// Loads candle columns fast: `COPY (select ts, open, ...) TO STDOUT (FORMAT binary)`, parsed straight
/// into the column arrays by the Postgres module's binary COPY reader (Connection+BinaryCopy.swift).
/// The columns travel in their own binary form (timestamptz as int64 microseconds, numeric as
/// base-10000 digits) and are converted there: casting numeric to float8 in
/// SQL goes through text and made the COPY 1.5 to 3 times slower on 1M rows. A stored bar is read
/// as two time ranges on two connections at once (DESIGN.md: 0.45 s instead of 0.85 s for 1M
/// rows); a bar that is not stored is resampled from 1m with market.resample.
///
/// Only finished bars are traded: stored candles with `confirmed` (a forming candle is still
/// changing) and resampled buckets that are `complete` (every 1m candle present and confirmed).
/// What is left out counts as missing bars, like a gap.
public enum CandleLoader {
    /// COPY takes no bind parameters: the values travel through set_config in the same transaction.
    static let setRange = """
        select set_config('candlestack.bt_inst', $1, true), set_config('candlestack.bt_bar', $2, true),
               set_config('candlestack.bt_from', $3, true), set_config('candlestack.bt_to', $4, true)
        """
    static let copyStored = """
        copy (select c.ts, c.open, c.high, c.low, c.close, c.volume
                from market.candles as c
               where c.inst_id = current_setting('candlestack.bt_inst')
                 and c.bar = current_setting('candlestack.bt_bar')
                 and c.ts >= current_setting('candlestack.bt_from')::timestamptz
                 and c.ts < current_setting('candlestack.bt_to')::timestamptz
                 and c.confirmed
               order by c.ts) to stdout (format binary)
        """
    static let copyResampled = """
        copy (select r.ts, r.open, r.high, r.low, r.close, r.volume
                from market.resample(current_setting('candlestack.bt_inst'), current_setting('candlestack.bt_bar'),
                                     current_setting('candlestack.bt_from')::timestamptz,
                                     current_setting('candlestack.bt_to')::timestamptz, '1m') as r
               where r.complete
               order by r.ts) to stdout (format binary)
        """
    /// First and last stored candle in the range, the midpoint on the bar grid, and the expected bar count.
    static let probe = """
        with e as (
          select (select c.ts from market.candles as c where c.inst_id = $1 and c.bar = $2
                     and c.ts >= $3::timestamptz and c.ts < $4::timestamptz order by c.ts limit 1) as lo,
                 (select c.ts from market.candles as c where c.inst_id = $1 and c.bar = $2
                     and c.ts >= $3::timestamptz and c.ts < $4::timestamptz order by c.ts desc limit 1) as hi)
        select (extract(epoch from e.lo) * 1000)::int8 as lo_ms,
               market.bar_start($2, e.lo + (e.hi - e.lo) / 2) as mid,
               market.bar_count($2, e.lo, e.hi) + 1 as expected_between,
               market.bar_count($2, $3::timestamptz, $4::timestamptz) as expected,
               case when extract(month from market.bar_interval($2)) = 0 and extract(year from market.bar_interval($2)) = 0
                    then (extract(epoch from market.bar_interval($2)) * 1000)::int8 end as bar_ms,
               (extract(epoch from case when market.bar_start($2, $3::timestamptz) = $3::timestamptz then $3::timestamptz
                                        else market.bar_next($2, $3::timestamptz) end) * 1000)::int8 as first_bar_ms,
               (extract(epoch from $4::timestamptz) * 1000)::int8 as to_ms
          from e
        """

    /// Loads `[from, to)` (timestamps as SQL text, e.g. "2024-01-01T00:00:00Z").
    public static func load(database: Database, instID: String, bar: String, from: String, to: String,
                            logger: Logger) async throws -> LoadedCandles {
        let started = DispatchTime.now().uptimeNanoseconds
        let probe = try await database.query(probe, [instID, bar, from, to])
        guard let row = probe.first else { throw JobFailure.permanent("candle probe returned nothing") }
        let expected = try row.int64("expected") ?? 0
        var resampled = false
        var columns: CandleColumns
        if try row.int64("lo_ms") == nil {
            // Nothing stored for this bar: build it from 1m candles.
            resampled = bar != "1m"
            columns = CandleColumns(capacity: 0)
            if resampled {
                let capacity = Int(min(expected, 10_000_000))
                columns = try await database.withConnection { conn in
                    try await conn.run { pg in
                        try pg.withTransaction {
                            try pg.query(setRange, [instID, bar, from, to])
                            return try CandleColumns.copy(copyResampled, on: pg, capacity: capacity)
                        }
                    }
                }
            }
        } else {
            let mid = try row.string("mid") ?? from
            let between = try row.int64("expected_between") ?? expected
            let capacity = Int(min(between, 10_000_000))
            let extra = try await database.connect()
            do {
                async let a: CandleColumns = database.withConnection { conn in
                    try await conn.run { pg in
                        try pg.withTransaction {
                            try pg.query(setRange, [instID, bar, from, mid])
                            return try CandleColumns.copy(copyStored, on: pg, capacity: capacity / 2 + 1)
                        }
                    }
                }
                async let b: CandleColumns = extra.run { pg in
                    try pg.withTransaction {
                        try pg.query(setRange, [instID, bar, mid, to])
                        return try CandleColumns.copy(copyStored, on: pg, capacity: capacity / 2 + 1)
                    }
                }
                var (first, second) = try await (a, b)
                first.append(second)
                columns = first
            } catch {
                await extra.close()
                throw error
            }
            await extra.close()
        }
        let candles = columns.candles()
        let missing = max(0, expected - Int64(candles.count))
        var gapRuns: Int64 = 0
        if missing > 0, !resampled, let barMs = try row.int64("bar_ms"), barMs > 0,
           let firstBar = try row.int64("first_bar_ms"), let toMs = try row.int64("to_ms") {
            // Fixed-length bars: count the runs of missing bars from the loaded times, as market.gaps
            // would (a gap at the start, between candles, at the end), without scanning the range again.
            gapRuns = gapRunCount(candles.time, firstBar: firstBar, barMs: barMs, toMs: toMs)
        } else if missing > 0 {
            // Month bars or resampled candles: market.gaps scans the range again.
            let gaps = try await database.query(
                "select count(*) as runs from market.gaps($1, $2, $3::timestamptz, $4::timestamptz)",
                [instID, resampled ? "1m" : bar, from, to])
            gapRuns = try gaps.first?.int64("runs") ?? 0
        }
        let ms = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e6
        logger.debug("candles loaded", metadata: [
            "backtest.candles": "\(candles.count)", "backtest.load_ms": "\(ms)", "backtest.resampled": "\(resampled)",
        ])
        return LoadedCandles(candles: candles, resampled: resampled, gapCount: gapRuns, missingBars: missing, loadMs: ms)
    }
}

extension CandleLoader {
    /// Runs of missing bars in [firstBar, toMs) given the open times present (ascending, on the bar grid).
    static func gapRunCount(_ time: [Int64], firstBar: Int64, barMs: Int64, toMs: Int64) -> Int64 {
        guard let first = time.first, let last = time.last else { return firstBar < toMs ? 1 : 0 }
        var runs: Int64 = first > firstBar ? 1 : 0
        for i in 1..<max(1, time.count) where time[i] - time[i - 1] > barMs { runs += 1 }
        if last + barMs < toMs { runs += 1 }
        return runs
    }
}

/// Column buffers filled by a binary COPY. A value type, filled through a local variable of the
/// COPY's own closure: the appends then need no dynamic exclusivity checks (a class's stored
/// arrays cost a begin/end-access pair and a uniqueness check per append, about half the load).
struct CandleColumns: Sendable {
    var time: [Int64] = []
    var open: [Double] = []
    var high: [Double] = []
    var low: [Double] = []
    var close: [Double] = []
    var volume: [Double] = []

    init(capacity: Int) {
        time.reserveCapacity(capacity); open.reserveCapacity(capacity); high.reserveCapacity(capacity)
        low.reserveCapacity(capacity); close.reserveCapacity(capacity); volume.reserveCapacity(capacity)
    }

    /// Runs `sql` (a COPY of ts, open, high, low, close, volume) on `pg` into new columns.
    static func copy(_ sql: String, on pg: Connection, capacity: Int) throws -> CandleColumns {
        var columns = CandleColumns(capacity: capacity)
        try pg.copyOutBinary(sql, fieldCount: 6) { try columns.append(&$0) }
        return columns
    }

    /// Appends one tuple of (ts, open, high, low, close, volume) from a binary COPY.
    @inline(__always)
    mutating func append(_ tuple: inout BinaryCopyTuple) throws {
        time.append(try tuple.timestampMs())
        open.append(try tuple.numeric("open"))
        high.append(try tuple.numeric("high"))
        low.append(try tuple.numeric("low"))
        close.append(try tuple.numeric("close"))
        volume.append(try tuple.numeric("volume"))
    }

    mutating func append(_ other: CandleColumns) {
        time += other.time; open += other.open; high += other.high
        low += other.low; close += other.close; volume += other.volume
    }

    /// The columns as engine candles; the CHECKs of market.candles guarantee the invariants.
    func candles() -> Candles {
        Candles(unchecked: time, open: open, high: high, low: low, close: close, volume: volume)
    }
}
