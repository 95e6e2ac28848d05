-- sql/0179_market_swap_grants.sql
-- Privileges on the swap data of migrations/0021-0033 and sql/0170-0178 (funding rates, mark and index candles, their bi views).
-- Depends on those objects and the roles of migrations/0002_roles.sql; sql/0190 also grants schema-wide, this file names each object.

grant select on market.funding_rates, market.mark_index_candles to candlestack_worker, candlestack_operator;
grant insert, update on market.funding_rates, market.mark_index_candles to candlestack_worker;

revoke execute on function market.upsert_funding_rates(jsonb),
                           market.newest_funding_time(text),
                           market.oldest_funding_time(text),
                           market.ensure_mark_index_candle_partitions(timestamptz, timestamptz),
                           market.create_mark_index_candle_staging(),
                           market.upsert_mark_index_candles(),
                           market.mark_index_gaps(text, text, text, timestamptz, timestamptz),
                           market.enqueue_hole_fill(text, jsonb, timestamptz, timestamptz, text),
                           market.queue_mark_index_hole_fill(text, text, text, timestamptz)
  from public;
grant execute on function market.upsert_funding_rates(jsonb),
                          market.newest_funding_time(text),
                          market.oldest_funding_time(text),
                          market.ensure_mark_index_candle_partitions(timestamptz, timestamptz),
                          market.create_mark_index_candle_staging(),
                          market.upsert_mark_index_candles(),
                          market.mark_index_gaps(text, text, text, timestamptz, timestamptz),
                          market.queue_mark_index_hole_fill(text, text, text, timestamptz)
  to candlestack_worker;
grant execute on function market.mark_index_gaps(text, text, text, timestamptz, timestamptz),
                          market.newest_funding_time(text),
                          market.oldest_funding_time(text)
  to candlestack_operator;

-- BI: the swap views, like every bi view.
grant select on bi.funding_rates, bi.basis_daily to candlestack_bi, candlestack_operator, candlestack_worker;
