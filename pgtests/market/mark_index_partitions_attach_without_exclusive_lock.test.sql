-- pgtests/market/mark_index_partitions_attach_without_exclusive_lock.test.sql
-- market.ensure_mark_index_candle_partitions goes through the ATTACH routine of market.candles: never ACCESS EXCLUSIVE.
begin;
select plan(9);

-- TEST
select is(market.ensure_mark_index_candle_partitions('1998-06-10Z', '1998-06-20Z'), 1, 'June 1998 is made');
select is_empty($$ select mode from pg_locks
                   where pid = pg_backend_pid() and locktype = 'relation'
                     and relation = 'market.mark_index_candles'::regclass and mode = 'AccessExclusiveLock' $$,
                'no ACCESS EXCLUSIVE lock on market.mark_index_candles (readers were never blocked)');
select ok(exists (select 1 from pg_locks
                   where pid = pg_backend_pid() and locktype = 'relation'
                     and relation = 'market.mark_index_candles'::regclass and mode = 'ShareUpdateExclusiveLock'),
          'SHARE UPDATE EXCLUSIVE, the lock ATTACH PARTITION takes');
select is((select pg_get_expr(c.relpartbound, c.oid) from pg_class c where c.oid = 'market.mark_index_candles_y1998m06'::regclass),
          $$FOR VALUES FROM ('1998-06-01 00:00:00+00') TO ('1998-07-01 00:00:00+00')$$,
          'attached with the UTC month as its bound, named after its table');
select is((select count(*) from pg_constraint
            where conrelid = 'market.mark_index_candles_y1998m06'::regclass and contype = 'c'),
          (select count(*) from pg_constraint where conrelid = 'market.mark_index_candles'::regclass and contype = 'c'),
          'the partition has every CHECK of market.mark_index_candles and no more');
select is(market.ensure_mark_index_candle_partitions('1998-06-01Z', '1998-06-30Z'), 0, 'a second call makes nothing');
select ok(to_regclass('market.candles_y1998m06') is null,
          'market.candles is untouched: each table has partitions of its own');
select lives_ok($$ insert into market.mark_index_candles (price_type, inst_id, bar, ts, open, high, low, close)
                   values ('mark', 'TEST-USDT-SWAP', '1m', '1998-06-15 12:00Z', 10, 12, 9, 11) $$,
                'a mark candle of June 1998 is stored through market.mark_index_candles');
select throws_ok($$ select market.ensure_monthly_partitions('queue.jobs'::regclass, now(), now()) $$, '22023', null,
                 'the shared routine makes partitions of the two candle tables only');

select * from finish();
rollback;
