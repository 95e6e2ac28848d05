-- pgtests/queue/enqueue_due_refused_payload.test.sql
-- queue.enqueue_due: a schedule whose stored payload a newer validator refuses records the refusal
-- (22023) and backs off; a schedule due after it fires in the same call.
begin;
select plan(5);

-- SETUP
delete from queue.jobs;
delete from queue.schedules;
create function queue.test_validate_strict(payload jsonb) returns jsonb
language plpgsql immutable set search_path = '' as $$
begin
  if not payload ? 'inst_id' then
    raise exception 'test_strict payload: "inst_id" is required' using errcode = 'invalid_parameter_value';
  end if;
  return payload;
end;
$$;
insert into queue.job_kinds (kind, description, validator) values ('test_erp', 'test kind', 'queue.validate_noop');
insert into queue.schedules (name, kind, payload, every, next_run_at) values
  ('old-payload', 'test_erp', '{}', interval '1 minute', now() - interval '1 hour'),
  ('fine', 'noop', '{}', interval '1 minute', now() - interval '1 minute');
-- A newer validator that refuses the payload stored under the old one.
update queue.job_kinds set validator = 'queue.test_validate_strict' where kind = 'test_erp';

-- TEST
select is(queue.enqueue_due(), 1, 'the schedule due after the refused one fires');
select is((select array_agg(unique_key) from queue.jobs), array['schedule:fine'], 'only its job is queued');
select ok((select last_error like 'test_strict payload: "inst_id" is required (SQLSTATE 22023)' from queue.schedules where name = 'old-payload'),
          'the refused one records the validator''s message and SQLSTATE');
select is((select row(failures, retry_at)::text from queue.schedules where name = 'old-payload'),
          row(1, now() + interval '15 s')::text, 'and backs off');
select is((select next_run_at from queue.schedules where name = 'fine'), now() + interval '1 minute',
          'the other one moved to its next period');

select * from finish();
rollback;
