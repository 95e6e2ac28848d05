-- sql/0160_market_candle_partitions.sql
-- Monthly partitions of market.candles made without blocking readers: CREATE TABLE (LIKE) + ATTACH PARTITION.
-- Depends on market.candles (migrations/0003_market.sql); replaces that file's ensure_candle_partitions.

create or replace function market.ensure_candle_partitions(from_ts timestamptz, to_ts timestamptz)
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
begin
  if from_ts is null or to_ts is null or to_ts < from_ts then
    raise exception 'market.ensure_candle_partitions: from_ts and to_ts must be set with from_ts <= to_ts, got % and %',
      from_ts, to_ts using errcode = 'invalid_parameter_value';
  end if;
  if v_last - v_month > interval '1200 months' then
    raise exception 'market.ensure_candle_partitions: range % to % spans more than 100 years', from_ts, to_ts
      using errcode = 'invalid_parameter_value';
  end if;
  while v_month <= v_last loop
    v_name := pg_catalog.to_char(v_month, '"candles_y"YYYY"m"MM');
    v_lo := pg_catalog.timezone('UTC', v_month);
    v_hi := pg_catalog.timezone('UTC', v_month + interval '1 month');
    -- existence through a catalog query (a fresh snapshot per statement), not to_regclass: the
    -- syscache may still hold a negative entry from before another session committed the partition
    if not exists (select 1 from pg_catalog.pg_class as c
                    where c.relname = v_name and c.relnamespace = 'market'::pg_catalog.regnamespace) then
      -- serialise creators (waiting as long as the caller lets us: the creator ahead of us holds the
      -- lock until its transaction ends), then look again: another session may have made it meanwhile
      perform pg_catalog.set_config('lock_timeout', '0', true);
      perform pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext('market.candles partitions'));
      perform pg_catalog.set_config('lock_timeout', '1s', true);
      if not exists (select 1 from pg_catalog.pg_class as c
                      where c.relname = v_name and c.relnamespace = 'market'::pg_catalog.regnamespace) then
        v_attempt := 0;
        loop
          v_attempt := v_attempt + 1;
          begin
            -- A plain table first (ACCESS SHARE on market.candles only, to copy its shape), with a
            -- CHECK equal to the partition bound so that ATTACH proves the bound from it instead of
            -- scanning; ATTACH takes SHARE UPDATE EXCLUSIVE, which readers and writers never wait for.
            execute pg_catalog.format('create table market.%I (like market.candles including all)', v_name);
            execute pg_catalog.format('alter table market.%I add constraint %I check (ts >= %L and ts < %L)',
                                      v_name, v_name || '_ts_in_month', v_lo, v_hi);
            execute pg_catalog.format('alter table market.candles attach partition market.%I for values from (%L) to (%L)',
                                      v_name, v_lo, v_hi);
            -- the bound is the partition constraint now; the table is still ours alone (this transaction
            -- created it), so dropping the redundant CHECK waits for nobody
            execute pg_catalog.format('alter table market.%I drop constraint %I', v_name, v_name || '_ts_in_month');
            v_created := v_created + 1;
            exit;
          exception
            when duplicate_table then
              exit;  -- created by a session whose commit our snapshot does not show yet (REPEATABLE READ)
            when lock_not_available then
              -- only a session holding a strong lock on market.candles (VACUUM FULL, ANALYZE, DDL) can
              -- make ATTACH wait: the subtransaction dropped our table; wait a little and try again
              if v_attempt >= 5 then
                raise exception 'market.ensure_candle_partitions: could not attach % within 5 tries of 1s (lock_timeout)', v_name
                  using errcode = 'lock_not_available',
                        hint = 'A session holds a strong lock on market.candles; see pg_locks, then retry.';
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
comment on function market.ensure_candle_partitions(timestamptz, timestamptz) is
$$Create the monthly partitions of market.candles that cover [from_ts, to_ts]; returns how many it made.

Months are UTC calendar months, named market.candles_yYYYYmMM. Each is made as a plain table
(LIKE market.candles INCLUDING ALL, plus a CHECK equal to the month's bound so ATTACH skips its
scan) and then attached with ALTER TABLE ... ATTACH PARTITION, which takes SHARE UPDATE
EXCLUSIVE on market.candles: readers and writers go on, however long they run. Never CREATE
TABLE ... PARTITION OF (ACCESS EXCLUSIVE, which queues behind any reader and every later reader
behind it). The DDL runs under lock_timeout 1s with up to 5 tries (55P03 after that). Safe when
sessions race: a transaction-scoped advisory lock with a catalog check before and after (and a
duplicate_table from a partition committed after our snapshot is ignored). The months ahead are
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
begin
  if months_ahead is null or months_ahead < 2 or months_ahead > 24 then
    raise exception 'market.maintain_candle_partitions: months_ahead must be an integer from 2 to 24, got %', months_ahead
      using errcode = 'invalid_parameter_value';
  end if;
  return market.ensure_candle_partitions(
    pg_catalog.now(),
    pg_catalog.timezone('UTC', pg_catalog.date_trunc('month', pg_catalog.timezone('UTC', pg_catalog.now())))
      + pg_catalog.make_interval(months => months_ahead));
end;
$$;
comment on function market.maintain_candle_partitions(integer) is
$$Make the partitions of market.candles from this month to months_ahead (2 to 24, default 3) months ahead.

Run by the maintain_partitions job (schedule 'maintain_partitions', daily), so the month
boundary never needs DDL inside an ingest. Returns how many partitions it made (0 when all exist).$$;
