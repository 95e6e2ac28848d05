-- sql/0171_market_mark_index_partitions.sql
-- market.ensure_mark_index_candle_partitions: the monthly partitions of market.mark_index_candles.
-- Depends on market.mark_index_candles (migrations/0022); the same rules as market.ensure_candle_partitions (0003).

create or replace function market.ensure_mark_index_candle_partitions(from_ts timestamptz, to_ts timestamptz)
returns integer
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_month   timestamp := pg_catalog.date_trunc('month', pg_catalog.timezone('UTC', from_ts));
  v_last    timestamp := pg_catalog.date_trunc('month', pg_catalog.timezone('UTC', to_ts));
  v_name    text;
  v_created integer := 0;
begin
  if from_ts is null or to_ts is null or to_ts < from_ts then
    raise exception 'market.ensure_mark_index_candle_partitions: from_ts and to_ts must be set with from_ts <= to_ts, got % and %',
      from_ts, to_ts using errcode = 'invalid_parameter_value';
  end if;
  if v_last - v_month > interval '1200 months' then
    raise exception 'market.ensure_mark_index_candle_partitions: range % to % spans more than 100 years', from_ts, to_ts
      using errcode = 'invalid_parameter_value';
  end if;
  while v_month <= v_last loop
    v_name := pg_catalog.to_char(v_month, '"mark_index_candles_y"YYYY"m"MM');
    if not exists (select 1 from pg_catalog.pg_class as c
                    where c.relname = v_name and c.relnamespace = 'market'::pg_catalog.regnamespace) then
      -- serialise creators, then look again: another session may have created it meanwhile
      perform pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext('market.mark_index_candles partitions'));
      if not exists (select 1 from pg_catalog.pg_class as c
                      where c.relname = v_name and c.relnamespace = 'market'::pg_catalog.regnamespace) then
        begin
          execute pg_catalog.format(
            'create table market.%I partition of market.mark_index_candles for values from (%L) to (%L)',
            v_name, pg_catalog.timezone('UTC', v_month), pg_catalog.timezone('UTC', v_month + interval '1 month'));
          v_created := v_created + 1;
        exception when duplicate_table then
          null;  -- created by a session whose commit our snapshot does not show yet
        end;
      end if;
    end if;
    v_month := v_month + interval '1 month';
  end loop;
  return v_created;
end;
$$;
comment on function market.ensure_mark_index_candle_partitions(timestamptz, timestamptz) is
$$Create the monthly partitions of market.mark_index_candles that cover [from_ts, to_ts]; returns how many it made.

UTC calendar months named market.mark_index_candles_yYYYYmMM; safe when sessions race (an
advisory lock with a catalog check before and after), like market.ensure_candle_partitions.
SECURITY DEFINER (creating a partition needs ownership of the table); execute is granted to
candlestack_worker only. Called by market.upsert_mark_index_candles before every write.$$;

-- The months around now, so a hand-written INSERT works on a fresh database (idempotent).
select market.ensure_mark_index_candle_partitions(pg_catalog.now() operator(pg_catalog.-) interval '1 month',
                                                  pg_catalog.now() operator(pg_catalog.+) interval '1 month');
