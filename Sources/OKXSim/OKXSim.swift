// OKXSim: the simulated OKX market and its HTTP front (used by okx-sim and by tests).
//
// Reference (the okx-sim command line prints a short form with --help):
//
// Command line
//   okx-sim --port P [--host 127.0.0.1] [--seed 1] [--from DATE] [--faults SPEC]
//           [--rate-limit-scale 1] [--now UNIX_MS] [--extra-spot N]
//   Prints `okx-sim listening on http://HOST:PORT` (stdout, flushed) once it accepts
//   connections; --port 0 binds a free port and prints it. SIGTERM/SIGINT exit 0 at once.
//   --from: YYYY-MM-DD, YYYY-MM-DDTHH:MM[:SS]Z or Unix ms; default 400 days before now, 00:00 UTC.
//   --now freezes the clock (deterministic answers); otherwise real time.
//   --extra-spot N (0-9999, default 0) adds N synthetic spot instruments SIM0001-USDT ... after the
//   named ones, from the same market model (Instruments.synthetic), served by every REST endpoint
//   and the sockets like the others: for scale benchmarks (bench/stream.sh at 1,000 series).
//
// OKX endpoints (GET; envelope {"code":"0","msg":"","data":[...]}, every number a string)
//   /api/v5/public/time                        10 req / 2 s per IP
//   /api/v5/public/instruments?instType=&instId= 20 / 2 s  (SPOT: BTC ETH SOL OKB XRP -USDT;
//                                               SWAP: BTC-USDT-SWAP, ETH-USDT-SWAP, linear, USDT-settled)
//   /api/v5/market/tickers?instType=           20 / 2 s
//   /api/v5/market/ticker?instId=              20 / 2 s
//   /api/v5/market/candles                     40 / 2 s, the latest 1,440 bars of the size
//   /api/v5/market/history-candles             20 / 2 s, everything since --from
//   Candle parameters: instId (50014 when missing, 51001 with HTTP 200 when unknown), bar
//   (default 1m; 51000 HTTP 400 when unknown; `1s` is not simulated and answers 51000), after
//   (rows older than, exclusive), before (rows newer than, exclusive), limit (default 100,
//   values above 300 are served as 300, < 1 or non-numeric: 51000). Rows newest first:
//   [ts, o, h, l, c, vol, volCcy, volCcyQuote, confirm]; the bucket holding now has confirm "0"
//   and aggregates the minutes up to now (the current minute in full).
//   Rate limits: sliding 2 s window per (remote IP of the connection, endpoint); a request is
//   refused when the accepted ones in the last 2 s already reach the limit; refusals (HTTP 429,
//   {"msg":"Too Many Requests","code":"50011"}) do not count. --rate-limit-scale multiplies the
//   limits; 0 disables them.
//
// Simulator endpoints (never rate limited, never faulted)
//   GET  /sim/stats         per endpoint accepted/refused/faulted counts, rows served per instId,
//                           candle requests per "instId bar", and the latest 10,000 candle
//                           requests (endpoint, instId, bar, after, before, limit, rows)
//   POST /sim/stats/reset
//   GET  /sim/faults        the current fault rates
//   POST /sim/faults        body {"kind": rate, ..., "slow_ms": N} replaces the set; {} clears
//   GET  /sim/candles?instId=&bar=&from=&to=   every candle with ts in [from, to), oldest first,
//                           same rows as the OKX endpoints, no paging or limit
//   GET  /sim/info          seed, history start, now, instruments, bars
//
// Faults (only on /api/v5; --faults kind=rate,... or POST /sim/faults; `simFault=kind` in the
// query forces one on a single request). At most one fault per request, drawn from an RNG
// seeded by --seed, so the same requests in the same order get the same faults.
//   rate_limit (429, 50011)   busy (429, 50013)   http5xx (503, 50001)
//   slow (the normal answer after slow_ms, default 3000)
//   invalid_json (HTTP 200, not JSON)   truncated (HTTP 200, the body's first half; the
//   Content-Length matches the cut body)   closed (HTTP 200, the full body's Content-Length, the
//   first half of it, then the connection is closed)
//   Candle endpoints only (applied to a page with rows): duplicate_rows, unordered_rows,
//   bad_high_low (one row high < low), misaligned_ts (one row's ts +1 s), negative_volume,
//   nan_price ("NaN" close), long_number (a 400-digit vol), short_row (one row of 8 fields).
//   Cursor faults (candle endpoints; counted as faulted, no RNG drawn; reset by POST /sim/faults):
//   empty_first=N (the first N requests of every cursor, i.e. endpoint, instId, bar, after,
//   before and limit, answer code "0" with empty data; the N+1-th gets the page),
//   sticky_<data kind>=N (e.g. sticky_bad_high_low=3: the 3rd distinct cursor asked of each
//   endpoint and series carries that fault on every request, in its middle row).
//
// Market model: see Market (deterministic in the seed, integer ticks and volume units, every
// bar the exact aggregate of the 1m series) and OKX.Bar (the project's one bar calendar, which
// Tests/RuleDriftTests checks against SQL's market.bar_start).
public enum OKXSimModule {}
