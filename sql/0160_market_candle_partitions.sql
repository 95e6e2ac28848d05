-- sql/0160_market_candle_partitions.sql
-- Monthly partitions of market.candles and market.mark_index_candles made without blocking readers:
-- CREATE TABLE (LIKE) + ATTACH PARTITION, one routine for both tables.
-- Depends on market.candles (migrations/0003_market.sql; replaces that file's ensure_candle_partitions)
-- and market.mark_index_candles (migrations/0022; its wrapper is in sql/0171).

create or replace function market.ensure_monthly_partitions(parent regclass, from_ts timestamptz, to_ts timestamptz)
returns integer
language plpgsql
volatile
security definer
set search_path = ''
set lock_timeout = '1s'
as $$
declare
  v_month   timestamp := pg_catalog.date_trunc('month', pg_catalog.timezone('UTC', from_ts));
  v_last    timestamp := pg_catalog.date_trunc('month', pg_catalog.timezone('UTC', to_ts));
  v_name    text;
  v_lo      timestamptz;
  v_hi      timestamptz;
  v_attempt integer;
  v_created integer := 0;
  v_table   text;
begin
  -- only the tables partitioned by UTC month of ts; the name is what the partitions are named after
  if parent is null or parent not in ('market.candles'::pg_catalog.regclass, 'market.mark_index_candles'::pg_catalog.regclass) then
    raise exception 'market.ensure_monthly_partitions: parent must be market.candles or market.mark_index_candles, got %',
      coalesce(parent::pg_catalog.text, 'NULL') using errcode = 'invalid_parameter_value';
  end if;
  select c.relname into v_table from pg_catalog.pg_class as c where c.oid = parent;
  if from_ts is null or to_ts is null or to_ts < from_ts then
    raise exception 'market.ensure_monthly_partitions(%): from_ts and to_ts must be set with from_ts <= to_ts, got % and %',
      parent, from_ts, to_ts using errcode = 'invalid_parameter_value';
  end if;
  if v_last - v_month > interval '1200 months' then
    raise exception 'market.ensure_monthly_partitions(%): range % to % spans more than 100 years', parent, from_ts, to_ts
      using errcode = 'invalid_parameter_value';
  end if;
  while v_month <= v_last loop
    v_name := v_table || pg_catalog.to_char(v_month, '"_y"YYYY"m"MM');
    v_lo := pg_catalog.timezone('UTC', v_month);
    v_hi := pg_catalog.timezone('UTC', v_month + interval '1 month');
    -- existence through a catalog query (a fresh snapshot per statement), not to_regclass: the
    -- syscache may still hold a negative entry from before another session committed the partition
    if not exists (select 1 from pg_catalog.pg_class as c
                    where c.relname = v_name and c.relnamespace = 'market'::pg_catalog.regnamespace) then
      -- serialise creators (waiting as long as the caller lets us: the creator ahead of us holds the
      -- lock until its transaction ends), then look again: another session may have made it meanwhile
      perform pg_catalog.set_config('lock_timeout', '0', true);
      perform pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext(parent::pg_catalog.text || ' partitions'));
      perform pg_catalog.set_config('lock_timeout', '1s', true);
      if not exists (select 1 from pg_catalog.pg_class as c
                      where c.relname = v_name and c.relnamespace = 'market'::pg_catalog.regnamespace) then
        v_attempt := 0;
        loop
          v_attempt := v_attempt + 1;
          begin
            -- A plain table first (ACCESS SHARE on the parent only, to copy its shape), with a
            -- CHECK equal to the partition bound so that ATTACH proves the bound from it instead of
            -- scanning; ATTACH takes SHARE UPDATE EXCLUSIVE, which readers and writers never wait for.
            execute pg_catalog.format('create table market.%I (like %s including all)', v_name, parent);
            execute pg_catalog.format('alter table market.%I add constraint %I check (ts >= %L and ts < %L)',
                                      v_name, v_name || '_ts_in_month', v_lo, v_hi);
            execute pg_catalog.format('alter table %s attach partition market.%I for values from (%L) to (%L)',
                                      parent, v_name, v_lo, v_hi);
            -- the bound is the partition constraint now; the table is still ours alone (this transaction
            -- created it), so dropping the redundant CHECK waits for nobody
            execute pg_catalog.format('alter table market.%I drop constraint %I', v_name, v_name || '_ts_in_month');
            v_created := v_created + 1;
            exit;
          exception
            when duplicate_table then
              exit;  -- created by a session whose commit our snapshot does not show yet (REPEATABLE READ)
            when lock_not_available then
              -- only a session holding a strong lock on the parent (VACUUM FULL, ANALYZE, DDL) can
              -- make ATTACH wait: the subtransaction dropped our table; wait a little and try again
              if v_attempt >= 5 then
                raise exception 'market.ensure_monthly_partitions: could not attach % within 5 tries of 1s (lock_timeout)', v_name
                  using errcode = 'lock_not_available',
                        hint = pg_catalog.format('A session holds a strong lock on %s; see pg_locks, then retry.', parent);
              end if;
              perform pg_catalog.pg_sleep(0.2 * v_attempt);
          end;
        end loop;
      end if;
    end if;
    v_month := v_month + interval '1 month';
  end loop;
  return v_created;
end;
$$;
comment on function market.ensure_monthly_partitions(regclass, timestamptz, timestamptz) is
$$Create the monthly partitions of market.candles or market.mark_index_candles that cover [from_ts, to_ts]; returns how many it made.

The one routine behind market.ensure_candle_partitions and market.ensure_mark_index_candle_partitions
(parent: one of those two tables, 22023 otherwise). Months are UTC calendar months, each partition
named after its parent: market.candles_yYYYYmMM, market.mark_index_candles_yYYYYmMM. Each is made
as a plain table (LIKE the parent INCLUDING ALL, plus a CHECK equal to the month's bound so ATTACH
skips its scan) and then attached with ALTER TABLE ... ATTACH PARTITION, which takes SHARE UPDATE
EXCLUSIVE on the parent: readers and writers go on, however long they run. Never CREATE TABLE ...
PARTITION OF (ACCESS EXCLUSIVE, which queues behind any reader and every later reader behind it).
The DDL runs under lock_timeout 1s with up to 5 tries (55P03 after that). Safe when sessions race:
a transaction-scoped advisory lock per parent with a catalog check before and after (and a
duplicate_table from a partition committed after our snapshot is ignored).
SECURITY DEFINER (attaching needs ownership of the parent); not PUBLIC: candlestack_worker has it
with the rest of schema market, and the two wrappers call it as its owner.$$;

create or replace function market.ensure_candle_partitions(from_ts timestamptz, to_ts timestamptz)
returns integer
language plpgsql
volatile
security definer
set search_path = ''
as $$
begin
  return market.ensure_monthly_partitions('market.candles'::pg_catalog.regclass, from_ts, to_ts);
end;
$$;
comment on function market.ensure_candle_partitions(timestamptz, timestamptz) is
$$Create the monthly partitions of market.candles that cover [from_ts, to_ts]; returns how many it made.

market.ensure_monthly_partitions('market.candles', ...): partitions market.candles_yYYYYmMM made as
plain tables and ATTACHed (SHARE UPDATE EXCLUSIVE: readers and writers go on). The months ahead are
made by market.maintain_candle_partitions (the maintain_partitions schedule); market.upsert_candles
calls this before every write for months nobody made yet (backfills into old years).
SECURITY DEFINER (attaching needs ownership of market.candles); execute is granted to
candlestack_worker only.$$;

create or replace function market.maintain_candle_partitions(months_ahead integer default 3)
returns integer
language plpgsql
volatile
set search_path = ''
as $$
declare
  v_to timestamptz;
begin
  if months_ahead is null or months_ahead < 2 or months_ahead > 24 then
    raise exception 'market.maintain_candle_partitions: months_ahead must be an integer from 2 to 24, got %', months_ahead
      using errcode = 'invalid_parameter_value';
  end if;
  v_to := pg_catalog.timezone('UTC', pg_catalog.date_trunc('month', pg_catalog.timezone('UTC', pg_catalog.now())))
            + pg_catalog.make_interval(months => months_ahead);
  return market.ensure_candle_partitions(pg_catalog.now(), v_to)
       + market.ensure_mark_index_candle_partitions(pg_catalog.now(), v_to);
end;
$$;
comment on function market.maintain_candle_partitions(integer) is
$$Make the partitions of market.candles and market.mark_index_candles from this month to months_ahead (2 to 24, default 3) months ahead.

Run by the maintain_partitions job (schedule 'maintain_partitions', daily), so the month
boundary never needs DDL inside an ingest, for trade candles and for mark/index candles alike.
Returns how many partitions it made in both tables (0 when all exist).$$;
