-- sql/0390_ingest_grants.sql
-- Privileges on the ingest objects of migrations/0006_ingest.sql and sql/03NN.
-- Depends on every object of those files and the roles of migrations/0002_roles.sql.

grant select, insert, update on market.okx_rate_limits, market.candle_history_starts to candlestack_worker;
grant select on market.okx_rate_limits, market.candle_history_starts to candlestack_operator;
revoke execute on function market.okx_rate_acquire(text, text, integer, integer, integer),
                           market.note_candle_history_start(text, text, timestamptz),
                           market.candle_history_start(text, text),
                           market.candle_gaps_to_fetch(text, text, timestamptz, timestamptz),
                           market.watchlist_jobs(),
                           market.queue_ingest_hole_fill(text, text, timestamptz),
                           market.watchlist_disabled_reason(),
                           market.disable_delisted_watchlist(text),
                           market.upsert_instruments(text, jsonb, text)
  from public;
grant execute on function market.okx_rate_acquire(text, text, integer, integer, integer),
                          market.note_candle_history_start(text, text, timestamptz),
                          market.candle_history_start(text, text),
                          market.candle_gaps_to_fetch(text, text, timestamptz, timestamptz),
                          market.queue_ingest_hole_fill(text, text, timestamptz),
                          market.disable_delisted_watchlist(text),
                          market.upsert_instruments(text, jsonb, text)
  to candlestack_worker;
grant execute on function market.candle_history_start(text, text),
                          market.candle_gaps_to_fetch(text, text, timestamptz, timestamptz),
                          market.watchlist_jobs(),
                          market.watchlist_disabled_reason()
  to candlestack_operator;
grant select on bi.watchlist to candlestack_bi, candlestack_operator, candlestack_worker;
grant execute on function market.inst_type_of(text), market.inst_family_of(text) to public;
revoke execute on function market.range_coverage(text, text, timestamptz, timestamptz),
                           market.candle_history_start_guard()
  from public;
grant execute on function market.range_coverage(text, text, timestamptz, timestamptz)
  to candlestack_worker, candlestack_operator;
