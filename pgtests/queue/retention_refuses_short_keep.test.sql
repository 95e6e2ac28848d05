-- pgtests/queue/retention_refuses_short_keep.test.sql
-- queue.retention refuses a keep of zero, a negative one, or under an hour (a bare number is seconds); operators may change keep.
begin;
select plan(9);

-- SETUP: pgTAP keeps its counters in temporary tables; let the tested roles write them.
grant all on __tcache__, __tcache___id_seq, __tresults___numb_seq to public;

-- TEST
select is((select array_agg(what order by what) from queue.retention),
          array['cancelled', 'failed', 'job_events', 'succeeded', 'workers'], 'one row per kind of row kept');
select throws_ok($$ update queue.retention set keep = interval '0' where what = 'succeeded' $$, '23514', null,
                 'a retention of zero is refused');
select throws_ok($$ update queue.retention set keep = interval '-1 day' where what = 'failed' $$, '23514', null,
                 'a negative retention is refused');
select throws_ok($$ update queue.retention set keep = '7' where what = 'job_events' $$, '23514', null,
                 'a bare 7 (seven seconds) is refused');
select throws_ok($$ insert into queue.retention (what, keep) values ('candles', '1 year') $$, '23514', null,
                 'an unknown kind of row is refused');
select lives_ok($$ update queue.retention set keep = interval '1 hour' where what = 'workers' $$, 'one hour is accepted');
set local role candlestack_operator;
select lives_ok($$ update queue.retention set keep = interval '90 days' where what = 'failed' $$, 'operator: changes a retention');
select throws_ok($$ delete from queue.retention $$, '42501', null, 'operator: cannot delete retention rows');
reset role;
set local role candlestack_worker;
select throws_ok($$ update queue.retention set keep = interval '90 days' $$, '42501', null, 'worker: cannot change retention');
reset role;

select * from finish();
rollback;
