-- sql/0300_market_okx_rate_acquire.sql
-- market.okx_rate_acquire: take one request from the per-IP OKX budget shared by all workers.
-- Depends on market.okx_rate_limits (migrations/0006_ingest.sql).

create or replace function market.okx_rate_acquire(rate_key text, endpoint text, requests integer,
                                                   window_ms integer, margin_ms integer default 100)
returns integer
language plpgsql
volatile
set search_path = ''
as $$
declare
  v_span    interval;
  v_at      timestamptz;
  v_grants  timestamptz[];
begin
  if rate_key is null or rate_key = '' or endpoint is null or endpoint = '' then
    raise exception 'market.okx_rate_acquire: rate_key and endpoint must be non-empty, got % and %',
      pg_catalog.quote_nullable(rate_key), pg_catalog.quote_nullable(endpoint)
      using errcode = 'invalid_parameter_value';
  end if;
  if requests is null or requests < 1 or window_ms is null or window_ms < 1 or margin_ms is null or margin_ms < 0 then
    raise exception 'market.okx_rate_acquire: requests and window_ms must be >= 1 and margin_ms >= 0, got %, % and %',
      requests, window_ms, margin_ms
      using errcode = 'invalid_parameter_value';
  end if;
  v_span := pg_catalog.make_interval(secs => (window_ms + margin_ms) / 1000.0);

  -- One statement. The SET expressions run once the row is locked, so the clock is read after
  -- any wait for another worker's grant: drop the grants that left the window, then append the
  -- time if fewer than `requests` remain. updated_at is the time the decision was taken.
  insert into market.okx_rate_limits as r (rate_key, endpoint, grants, updated_at)
  select okx_rate_acquire.rate_key, okx_rate_acquire.endpoint, array[n.t], n.t
    from (select pg_catalog.clock_timestamp() as t) as n
  on conflict on constraint okx_rate_limits_pkey do update
     set (grants, refusals, updated_at) = (
           select case when pg_catalog.cardinality(l.live) < okx_rate_acquire.requests
                       then l.live || n.t else l.live end,
                  r.refusals + case when pg_catalog.cardinality(l.live) < okx_rate_acquire.requests then 0 else 1 end,
                  n.t
             from (select pg_catalog.clock_timestamp() as t) as n,
                  lateral (select array(select g from pg_catalog.unnest(r.grants) as g
                                         where g > n.t - v_span order by g) as live) as l)
  returning r.grants, r.updated_at into v_grants, v_at;

  if v_grants[pg_catalog.cardinality(v_grants)] = v_at then
    return 0;
  end if;
  -- The oldest of the last `requests` grants leaves the window at grants[n - requests + 1] + span.
  return greatest(1, pg_catalog.ceil(extract(epoch from
           v_grants[pg_catalog.cardinality(v_grants) - okx_rate_acquire.requests + 1] + v_span - v_at) * 1000))::integer;
end;
$$;
comment on function market.okx_rate_acquire(text, text, integer, integer, integer) is
$$Take one OKX request from the budget of rate_key; returns 0 when granted, else the milliseconds to wait.

A sliding-window log per (rate_key, endpoint): the request is granted when fewer than `requests`
grants happened in the last window_ms + margin_ms (default margin 100 ms, for latency and clock
skew), so a full window goes at once and then requests are paced by the oldest grant. One
INSERT ... ON CONFLICT DO UPDATE; the row lock serialises concurrent callers, and the clock
(clock_timestamp, the one clock every worker process shares) is read after the lock is taken. Callers sleep the returned
time and call again (OKX's limits: candles 40 / 2 s, history-candles 20 / 2 s).$$;
