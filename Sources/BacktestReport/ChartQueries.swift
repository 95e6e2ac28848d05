/// The statements that load a run's chart candles, shared by the dashboard's run page and
/// `candlestack report` (both read schema bi only, so they work under a candlestack_bi login).
public enum ChartQueries {
    /// Buckets drawn across the candle chart (one per ~1 px of its 960 px plot).
    public static let buckets = 800
    /// The indicators are computed over the run's full-detail candles only up to this many
    /// candles (a longer run shows its candles and trades without the indicator lines).
    public static let indicatorCandleLimit = 200_000

    /// Candles of run $1's range (narrowed to [$2, $3) when given), folded into at most $4 buckets
    /// by bi.chart_candle_buckets (whole UTC hours per bucket on a long range, read from hourly
    /// rollups; equal buckets of bi.candle_buckets on a short one); a run resampled from 1m (its
    /// bar not stored) shows its 1m candles.
    /// Columns: bi.candle_buckets's (open_time, last_open_time, open, high, low, close, volume, ...).
    public static let runCandleBuckets = """
        with r as (select instrument, bar, greatest(from_time, coalesce($2::timestamptz, from_time)) as f,
                          least(to_time, coalesce($3::timestamptz, to_time)) as t
                     from bi.backtest_runs where run_id = $1),
             b as (select case when exists (select 1 from bi.candles as c where c.instrument = r.instrument
                                               and c.bar = r.bar and c.open_time >= r.f and c.open_time < r.t)
                               then r.bar else '1m' end as bar from r)
        select x.* from r, b, bi.chart_candle_buckets(r.instrument, b.bar, r.f, r.t, $4) as x where r.f < r.t
        """

    /// The candles the engine read for run $1 (confirmed candles of its bar over its whole range,
    /// oldest first), for its indicators; nothing when the run was resampled, holds more than $2
    /// candles, or is a walk-forward run (its parameters change per window: no one set of lines). Columns: t (Unix ms), open, high, low, close, volume as float8.
    public static let runIndicatorCandles = """
        select (extract(epoch from c.open_time) * 1000)::int8 as t, c.open::float8 as open, c.high::float8 as high,
               c.low::float8 as low, c.close::float8 as close, c.volume::float8 as volume
          from bi.backtest_runs as r
          join bi.candles as c on c.instrument = r.instrument and c.bar = r.bar
                              and c.open_time >= r.from_time and c.open_time < r.to_time and c.is_closed
         where r.run_id = $1 and not r.resampled and r.candle_count <= $2 and r.kind <> 'walk_forward'
         order by c.open_time
        """
}
