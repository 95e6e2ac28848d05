-- sql/0331_market_notify_candles.sql
-- market.notify_candles: NOTIFY market_candles with a tiny payload per series, throttled per series.
-- Depends on market.candle_notify_state (migrations/0020), market.bar_interval, queue.json_utc (sql/0200).

create or replace function market.notify_candles(inst_ids text[], bars text[], ts timestamptz[],
                                                 confirmed boolean[], min_interval_ms integer)
returns integer
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_n    integer;
  v_sent integer := 0;
  r      record;
begin
  v_n := coalesce(pg_catalog.cardinality(notify_candles.inst_ids), 0);
  if notify_candles.inst_ids is null or notify_candles.bars is null or notify_candles.ts is null
     or notify_candles.confirmed is null
     or pg_catalog.cardinality(notify_candles.bars) <> v_n or pg_catalog.cardinality(notify_candles.ts) <> v_n
     or pg_catalog.cardinality(notify_candles.confirmed) <> v_n then
    raise exception 'market.notify_candles: inst_ids, bars, ts and confirmed must be arrays of one length'
      using errcode = 'invalid_parameter_value';
  end if;
  if notify_candles.min_interval_ms is null or notify_candles.min_interval_ms not between 0 and 3600000 then
    raise exception 'market.notify_candles: min_interval_ms must be between 0 and 3600000, got %',
      coalesce(notify_candles.min_interval_ms::pg_catalog.text, 'NULL') using errcode = 'invalid_parameter_value';
  end if;
  for r in
    select u.inst_id, u.bar, u.ts, u.confirmed
      from unnest(notify_candles.inst_ids, notify_candles.bars, notify_candles.ts, notify_candles.confirmed)
           as u (inst_id, bar, ts, confirmed)
  loop
    if r.inst_id is null or not coalesce(market.is_inst_id(r.inst_id), false) then
      raise exception 'market.notify_candles: inst_id must look like BTC-USDT, got %', coalesce(r.inst_id, 'NULL')
        using errcode = 'invalid_parameter_value';
    end if;
    if market.bar_interval(r.bar) is null then
      raise exception 'market.notify_candles: bar must be one of market.bars(), got %', coalesce(r.bar, 'NULL')
        using errcode = 'invalid_parameter_value';
    end if;
    if r.ts is null or r.confirmed is null then
      raise exception 'market.notify_candles: ts and confirmed are required (series %/%)', r.inst_id, r.bar
        using errcode = 'invalid_parameter_value';
    end if;
    -- A new candle or a candle's confirmation always notifies; a forming update at most once per interval.
    insert into market.candle_notify_state as s (inst_id, bar, notified_at, ts, confirmed)
    values (r.inst_id, r.bar, pg_catalog.clock_timestamp(), r.ts, r.confirmed)
    on conflict on constraint candle_notify_state_pkey do update
       set notified_at = excluded.notified_at, ts = excluded.ts, confirmed = excluded.confirmed
     where excluded.ts > s.ts
        or (excluded.ts = s.ts and excluded.confirmed and not s.confirmed)
        or (excluded.ts = s.ts and not s.confirmed
            and s.notified_at <= pg_catalog.clock_timestamp()
                                 - pg_catalog.make_interval(secs => notify_candles.min_interval_ms / 1000.0));
    if found then
      perform pg_catalog.pg_notify('market_candles',
        pg_catalog.jsonb_build_object('inst_id', r.inst_id, 'bar', r.bar, 'ts', queue.json_utc(r.ts),
                                      'confirmed', r.confirmed)::pg_catalog.text);
      v_sent := v_sent + 1;
    end if;
  end loop;
  return v_sent;
end;
$$;
comment on function market.notify_candles(text[], text[], timestamptz[], boolean[], integer) is
$$Send NOTIFY market_candles for candles just stored, throttled per series; returns how many were sent.

One element per candle (parallel arrays). The payload is tiny JSON:
{"bar": "1m", "ts": "2024-01-01T00:00:00Z", "inst_id": "BTC-USDT", "confirmed": false}. A series
notifies at once for a newer candle and for the confirmation of its candle; updates of a forming
candle at most once per min_interval_ms. Older candles than the last notified are not announced.
Notifications are delivered at commit, like every NOTIFY. The stream calls it after each batch.$$;
