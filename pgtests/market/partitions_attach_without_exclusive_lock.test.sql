-- pgtests/market/partitions_attach_without_exclusive_lock.test.sql
-- market.ensure_candle_partitions makes a plain table and ATTACHes it: never ACCESS EXCLUSIVE on market.candles.
begin;
select plan(8);

-- TEST
select is(market.ensure_candle_partitions('1998-06-10Z', '1998-06-20Z'), 1, 'June 1998 is made');
select is_empty($$ select mode from pg_locks
                   where pid = pg_backend_pid() and locktype = 'relation'
                     and relation = 'market.candles'::regclass and mode = 'AccessExclusiveLock' $$,
                'no ACCESS EXCLUSIVE lock on market.candles (readers were never blocked)');
select ok(exists (select 1 from pg_locks
                   where pid = pg_backend_pid() and locktype = 'relation'
                     and relation = 'market.candles'::regclass and mode = 'ShareUpdateExclusiveLock'),
          'SHARE UPDATE EXCLUSIVE, the lock ATTACH PARTITION takes');
select is((select pg_get_expr(c.relpartbound, c.oid) from pg_class c where c.oid = 'market.candles_y1998m06'::regclass),
          $$FOR VALUES FROM ('1998-06-01 00:00:00+00') TO ('1998-07-01 00:00:00+00')$$,
          'attached with the UTC month as its bound');
select is_empty($$ select conname from pg_constraint
                   where conrelid = 'market.candles_y1998m06'::regclass and conname like '%ts_in_month' $$,
                'the CHECK that let ATTACH skip its scan is dropped afterwards');
select is((select count(*) from pg_constraint
            where conrelid = 'market.candles_y1998m06'::regclass and contype = 'c'),
          (select count(*) from pg_constraint where conrelid = 'market.candles'::regclass and contype = 'c'),
          'the partition has every CHECK of market.candles');
select ok(exists (select 1 from pg_inherits i join pg_class c on c.oid = i.inhrelid
                   where i.inhparent = 'market.candles_pkey'::regclass and c.relname = 'candles_y1998m06_pkey'),
          'its primary key index is a partition of market.candles_pkey');
select lives_ok($$ insert into market.candles (inst_id, bar, ts, open, high, low, close, volume)
                   values ('TEST-USDT', '1m', '1998-06-15 12:00Z', 10, 12, 9, 11, 5) $$,
                'a candle of June 1998 is stored through market.candles');

select * from finish();
rollback;
