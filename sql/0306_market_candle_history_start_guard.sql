-- sql/0306_market_candle_history_start_guard.sql
-- Trigger on market.candle_history_starts: a recorded start is never later than a stored candle.
-- Depends on market.candle_history_starts (migrations/0006_ingest.sql) and market.candles (0003).

create or replace function market.candle_history_start_guard()
returns trigger
language plpgsql
volatile
set search_path = ''
as $$
declare
  v_oldest timestamptz;
begin
  select min(c.ts) into v_oldest
    from market.candles as c
   where c.inst_id = new.inst_id and c.bar = new.bar;
  if v_oldest < new.first_ts then
    raise exception 'market.candle_history_starts: first_ts must not be later than the oldest stored candle of % %, got % (oldest stored %)',
                    new.inst_id, new.bar, new.first_ts, v_oldest
      using errcode = 'check_violation',
            hint = 'Record starts through market.note_candle_history_start, which ignores a start that a stored candle disproves.';
  end if;
  return new;
end;
$$;
comment on function market.candle_history_start_guard() is
$$Trigger of market.candle_history_starts: refuses a first_ts later than a stored candle.

A stored candle older than the recorded start proves that OKX's history begins earlier; a start
past it would hide that history from every later backfill (market.candle_gaps_to_fetch).$$;

create or replace trigger candle_history_start_is_not_after_a_stored_candle
before insert or update of first_ts, inst_id, bar on market.candle_history_starts
for each row execute function market.candle_history_start_guard();
comment on trigger candle_history_start_is_not_after_a_stored_candle on market.candle_history_starts is
$$A recorded history start is never later than the oldest stored candle of its series.$$;
