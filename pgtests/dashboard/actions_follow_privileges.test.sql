-- pgtests/dashboard/actions_follow_privileges.test.sql
-- bi.dashboard_actions (sql/0520) answers from the role's privileges: the BI role may do nothing, an
-- operator everything, a read-only session nothing, a role granted one function that one only.
begin;
select plan(7);

-- SETUP
create role dash_cancel_only;
grant usage on schema queue, bi to dash_cancel_only;
grant execute on function queue.cancel(bigint) to dash_cancel_only;
grant execute on function bi.dashboard_actions() to dash_cancel_only;
create function pg_temp.allowed() returns text[] language sql as
  $$ select coalesce(array_agg(action order by action) filter (where allowed), '{}') from bi.dashboard_actions() $$;

-- TEST
select is((select count(*)::integer from bi.dashboard_actions()), 3, 'one row per action');
set local role candlestack_bi;
select is(pg_temp.allowed(), '{}'::text[], 'candlestack_bi may perform no action (and asking does not raise)');
reset role;
set local role candlestack_operator;
select is(pg_temp.allowed(), '{cancel_job,queue_backtest,rerun_job}'::text[], 'an operator may queue, cancel and rerun');
select is((select array_agg(function_name order by action) from bi.dashboard_actions()),
          array['queue.cancel(bigint)', 'queue.enqueue(text,jsonb,smallint,timestamp with time zone,text,integer,bigint)',
                'queue.rerun(bigint)'], 'each action names the function it calls');
reset role;
set local role candlestack_worker;
select is(pg_temp.allowed(), '{queue_backtest}'::text[], 'a worker may enqueue but not cancel or rerun');
reset role;
set local role dash_cancel_only;
select is(pg_temp.allowed(), '{cancel_job}'::text[], 'a role granted queue.cancel alone may only cancel');
reset role;
set local role candlestack_operator;
set local transaction_read_only = on;
select is(pg_temp.allowed(), '{}'::text[], 'a read-only session may perform no action');

select * from finish();
rollback;
