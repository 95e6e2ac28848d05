-- sql/0520_bi_dashboard_actions.sql
-- bi.dashboard_actions(): which operator actions (queue a backtest, cancel, rerun) the connected role may
-- perform, asked of the catalog. Depends on queue.enqueue, queue.cancel, queue.rerun (sql/0210, 0250, 0260).

create or replace function bi.dashboard_actions()
returns table (action text, allowed boolean, function_name text)
language sql
stable
security invoker
set search_path = ''
as $$
  -- The functions are found through pg_proc, not by a name cast: resolving 'queue.cancel(bigint)'
  -- itself needs usage on schema queue, which a BI login lacks (it would raise instead of answer).
  select a.action,
         pg_catalog.has_schema_privilege('queue', 'USAGE')
         and exists (select 1
                       from pg_catalog.pg_proc as p
                       join pg_catalog.pg_namespace as n on n.oid = p.pronamespace
                      where n.nspname = 'queue' and p.proname = a.proname
                        and p.oid::pg_catalog.regprocedure::pg_catalog.text = a.function_name
                        and pg_catalog.has_function_privilege(p.oid, 'EXECUTE'))
         and pg_catalog.current_setting('transaction_read_only') = 'off' as allowed,
         a.function_name
    from (values (1, 'queue_backtest', 'enqueue',
                  'queue.enqueue(text,jsonb,smallint,timestamp with time zone,text,integer,bigint)'),
                 (2, 'cancel_job', 'cancel', 'queue.cancel(bigint)'),
                 (3, 'rerun_job', 'rerun', 'queue.rerun(bigint)')) as a (n, action, proname, function_name)
   order by a.n
$$;
comment on function bi.dashboard_actions() is
$$The operator actions the connected role may perform: one row per action with allowed true or false.

queue_backtest calls queue.enqueue, cancel_job queue.cancel, rerun_job queue.rerun. allowed is true
when the role has usage on schema queue and execute on that function and the session is not
read-only (default_transaction_read_only). The dashboard shows a form only when allowed; the
database still refuses a call the role may not make. Runs with the caller's rights.$$;
