-- sql/0339_stream_grants.sql
-- Privileges on the stream objects of migrations/0019-0031 and sql/0330-0333.
-- Depends on every object of those files and the roles of migrations/0002_roles.sql.

grant select on market.stream_holders, market.stream_leases to candlestack_operator, candlestack_worker;
revoke execute on function market.stream_lease_take(text, integer, integer),
                           market.stream_lease_release(text),
                           market.stream_series_held(text, text),
                           market.notify_candles(text[], text[], timestamptz[], boolean[], integer),
                           market.queue_stream_gap_fill(text, text, timestamptz)
  from public;
grant execute on function market.stream_lease_take(text, integer, integer),
                          market.stream_lease_release(text),
                          market.stream_series_held(text, text),
                          market.notify_candles(text[], text[], timestamptz[], boolean[], integer),
                          market.queue_stream_gap_fill(text, text, timestamptz)
  to candlestack_worker;
grant execute on function market.stream_series_held(text, text) to candlestack_operator;
