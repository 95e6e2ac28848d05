-- bench/market-upsert-resample.gen.sql
-- Writes 1,000,000 1m candles of one instrument (from 2023-01-01 00:00 UTC) as COPY text to stdout (psql -f this > file).
-- Used by bench/market-upsert-resample.sh; a deterministic walk with OKX-like decimal strings.
copy (select 'BENCH-USDT', '1m', to_char((timestamp '2023-01-01 00:00' + i * interval '1 minute'), 'YYYY-MM-DD HH24:MI:SS+00'), round(p, 2), round(p + 3.5 + (i % 7), 2), round(p - 2.25 - (i % 5), 2), round(p + 1.1 - (i % 3), 2), round((i % 1000) / 7.0 + 0.001, 8), round(p * ((i % 1000) / 7.0 + 0.001), 9), round(p * ((i % 1000) / 7.0 + 0.001), 9), 't' from (select i, (30000 + 5000 * sin(i / 20000.0) + (i % 97) * 0.37)::numeric as p from generate_series(0, 999999) as i) as g) to stdout;
