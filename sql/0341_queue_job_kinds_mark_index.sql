-- sql/0341_queue_job_kinds_mark_index.sql
-- Job kinds backfill_mark_index and ingest_mark_index: a swap's mark-price candles, or an index's candles.
-- Depends on the helpers of sql/0200 and sql/0340 (queue.payload_swap_id), queue.job_kinds (migrations/0005).

create or replace function queue.payload_price_series(payload jsonb, kind text)
returns jsonb
language plpgsql
immutable
set search_path = ''
as $$
declare
  v_type text := queue.payload_text(payload, kind, 'price_type', false, 'mark');
  v_id   text;
begin
  if v_type not in ('mark', 'index') then
    raise exception '% payload: "price_type" must be mark or index, got %', kind, pg_catalog.to_jsonb(v_type)
      using errcode = 'invalid_parameter_value';
  end if;
  if v_type = 'mark' then
    v_id := queue.payload_swap_id(payload, kind);
  else
    v_id := queue.payload_inst_id(payload, kind, 'inst_id', true);
    if market.inst_type_of(v_id) <> 'SPOT' then
      raise exception '% payload: "inst_id" of an index must look like BTC-USDT (the swap''s underlying), got %',
        kind, pg_catalog.to_jsonb(v_id)
        using errcode = 'invalid_parameter_value', hint = 'OKX names the index of BTC-USDT-SWAP BTC-USDT.';
    end if;
  end if;
  return pg_catalog.jsonb_build_object('price_type', v_type, 'inst_id', v_id,
                                       'bar', queue.payload_bar(payload, kind, 'bar', true));
end;
$$;
comment on function queue.payload_price_series(jsonb, text) is
$$Read the series of a mark or index job: {"price_type": "mark" (default) or "index", "inst_id", "bar"}.

A mark series belongs to a perpetual swap (BTC-USDT-SWAP), an index series to an index named like
a spot pair (BTC-USDT); bar is one of queue.okx_bars(). Anything else: 22023 naming the field.$$;

create or replace function queue.validate_backfill_mark_index(payload jsonb)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_from timestamptz;
  v_to   timestamptz;
begin
  perform queue.payload_reject_unknown(payload, 'backfill_mark_index', array['price_type', 'inst_id', 'bar', 'from', 'to']);
  v_from := queue.payload_timestamptz(payload, 'backfill_mark_index', 'from', true);
  v_to   := queue.payload_timestamptz(payload, 'backfill_mark_index', 'to', false, pg_catalog.now());
  perform queue.payload_check_range('backfill_mark_index', 'from', v_from, 'to', v_to);
  return queue.payload_price_series(payload, 'backfill_mark_index')
         || pg_catalog.jsonb_build_object('from', queue.json_utc(v_from), 'to', queue.json_utc(v_to));
end;
$$;
comment on function queue.validate_backfill_mark_index(jsonb) is
$$Validator of kind backfill_mark_index.

Payload: {"price_type": "mark" (default) or "index", "inst_id" (required: BTC-USDT-SWAP for mark,
BTC-USDT for index), "bar" (required), "from" (required), "to" (default now())}; from before to.
Enqueue it with unique_key 'backfill_mark_index:<price_type>:<inst_id>:<bar>'.$$;

create or replace function queue.validate_ingest_mark_index(payload jsonb)
returns jsonb
language plpgsql
immutable
set search_path = ''
as $$
begin
  perform queue.payload_reject_unknown(payload, 'ingest_mark_index', array['price_type', 'inst_id', 'bar']);
  return queue.payload_price_series(payload, 'ingest_mark_index');
end;
$$;
comment on function queue.validate_ingest_mark_index(jsonb) is
$$Validator of kind ingest_mark_index.

Payload: {"price_type": "mark" (default) or "index", "inst_id" (required), "bar" (required)}.$$;

insert into queue.job_kinds (kind, description, max_attempts, priority, timeout, lease, validator)
values ('backfill_mark_index', $$Fetches the mark-price candles of a swap (or the candles of an index) in [from, to) that are not stored yet (market.mark_index_gaps), from /market/history-mark-price-candles or history-index-candles at 100 rows a page; resumable.$$,
        10, 100, interval '6 hours', interval '1 minute', 'queue.validate_backfill_mark_index'),
       ('ingest_mark_index', $$Fetches the newest mark-price (or index) candles of one series from /market/mark-price-candles or index-candles, from the newest stored candle to now; the forming candle is stored unconfirmed and overwritten later.$$,
        3, 20, interval '5 minutes', interval '30 seconds', 'queue.validate_ingest_mark_index')
on conflict (kind) do update
   set description  = excluded.description,
       max_attempts = excluded.max_attempts,
       priority     = excluded.priority,
       timeout      = excluded.timeout,
       lease        = excluded.lease,
       validator    = excluded.validator;
