-- sql/0171_market_mark_index_partitions.sql
-- market.ensure_mark_index_candle_partitions: the monthly partitions of market.mark_index_candles.
-- Depends on market.mark_index_candles (migrations/0022) and market.ensure_monthly_partitions (sql/0160).

create or replace function market.ensure_mark_index_candle_partitions(from_ts timestamptz, to_ts timestamptz)
returns integer
language plpgsql
volatile
security definer
set search_path = ''
as $$
begin
  return market.ensure_monthly_partitions('market.mark_index_candles'::pg_catalog.regclass, from_ts, to_ts);
end;
$$;
comment on function market.ensure_mark_index_candle_partitions(timestamptz, timestamptz) is
$$Create the monthly partitions of market.mark_index_candles that cover [from_ts, to_ts]; returns how many it made.

market.ensure_monthly_partitions('market.mark_index_candles', ...), the routine of
market.ensure_candle_partitions: UTC months named market.mark_index_candles_yYYYYmMM, made as
plain tables and ATTACHed (SHARE UPDATE EXCLUSIVE: readers and writers go on), safe when sessions
race. The months ahead are made by market.maintain_candle_partitions (the maintain_partitions
schedule); market.upsert_mark_index_candles calls this before every write.
SECURITY DEFINER (attaching needs ownership of the table); execute is granted to
candlestack_worker only.$$;

-- The months around now, so a hand-written INSERT works on a fresh database (idempotent).
select market.ensure_mark_index_candle_partitions(pg_catalog.now() operator(pg_catalog.-) interval '1 month',
                                                  pg_catalog.now() operator(pg_catalog.+) interval '1 month');
