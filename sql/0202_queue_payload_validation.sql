-- sql/0202_queue_payload_validation.sql
-- queue.validate_job and queue.validate_payload (the payload check of every kind) and the triggers that validate jobs and schedules on insert and update.
-- Depends on queue.job_kinds, queue.jobs, queue.schedules (migrations/0005_queue.sql).

create or replace function queue.validate_job(kind text, payload jsonb,
                                              out normalized jsonb, out default_priority smallint,
                                              out default_max_attempts integer)
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_validator text;
  v_function  pg_catalog.regprocedure;
  v_enabled   boolean;
begin
  -- One look-up for everything the insert trigger needs: this runs on every INSERT into queue.jobs.
  select k.validator, k.enabled, k.priority, k.max_attempts
    into v_validator, v_enabled, default_priority, default_max_attempts
    from queue.job_kinds as k
   where k.kind = validate_job.kind;
  if not found then
    raise exception 'queue.jobs: unknown kind %, known kinds are %', pg_catalog.quote_nullable(validate_job.kind),
      (select pg_catalog.array_agg(k.kind order by k.kind) from queue.job_kinds as k)
      using errcode = 'invalid_parameter_value';
  end if;
  if not v_enabled then
    raise exception 'queue.jobs: kind % is disabled (queue.job_kinds.enabled = false)', validate_job.kind
      using errcode = 'object_not_in_prerequisite_state';
  end if;
  if payload is null then
    payload := '{}';
  end if;
  if pg_catalog.jsonb_typeof(payload) <> 'object' then
    raise exception '% payload: must be a JSON object, got %', validate_job.kind, payload
      using errcode = 'invalid_parameter_value';
  end if;
  -- The name is resolved to a function (payload jsonb) first, and the statement is built from the
  -- resolved OID (regproc prints it schema-qualified and quoted), never from the stored text.
  v_function := pg_catalog.to_regprocedure(v_validator || '(jsonb)');
  if v_function is null then
    raise exception 'queue.jobs: validator % of kind % is not a function (payload jsonb)', v_validator, validate_job.kind
      using errcode = 'undefined_function',
            hint = 'Create the function, or set queue.job_kinds.validator to an existing one.';
  end if;
  execute pg_catalog.format('select %s($1)', v_function::pg_catalog.regproc) into normalized using payload;
end;
$$;
comment on function queue.validate_job(text, jsonb) is
$$Validate a job's payload for its kind and return the kind's defaults with it.

Looks up the kind once (22023 when unknown, 55000 when disabled; 42883 when its validator is
not a function (payload jsonb)), runs its validator and
returns normalized (the payload with defaults filled in; 22023 naming the field when bad),
default_priority and default_max_attempts from queue.job_kinds. The insert trigger of
queue.jobs calls it; queue.validate_payload is the same check returning the payload only.$$;

create or replace function queue.validate_payload(kind text, payload jsonb)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
begin
  return (queue.validate_job(validate_payload.kind, validate_payload.payload)).normalized;
end;
$$;
comment on function queue.validate_payload(text, jsonb) is
$$Validate and normalize a payload for a kind.

Looks up the kind (22023 when unknown, 55000 when disabled) and returns what its validator
returns: the payload with defaults filled in, or an error 22023 naming the field.
Usable as a dry run: select queue.validate_payload('noop', '{"sleep_ms": 5}').
The insert triggers validate through queue.validate_job, the same check.$$;

create or replace function queue.jobs_before_write()
returns trigger
language plpgsql
volatile
set search_path = ''
as $$
declare
  v_checked record;
begin
  v_checked := queue.validate_job(new.kind, new.payload);
  new.payload := v_checked.normalized;
  if tg_op = 'INSERT' then
    new.priority := coalesce(new.priority, v_checked.default_priority);
    new.max_attempts := coalesce(new.max_attempts, v_checked.default_max_attempts);
  end if;
  return new;
end;
$$;
comment on function queue.jobs_before_write() is
$$Trigger: validate and normalize a job's payload, fill its defaults.

BEFORE INSERT and BEFORE UPDATE OF kind, payload on queue.jobs: the payload goes through the
kind's validator (queue.validate_job, one look-up of queue.job_kinds); on insert, a null
priority or max_attempts comes from queue.job_kinds.$$;

create or replace trigger jobs_validate
  before insert or update of kind, payload on queue.jobs
  for each row execute function queue.jobs_before_write();
comment on trigger jobs_validate on queue.jobs is
$$Refuse a bad payload at INSERT, with the field named; fill priority and max_attempts.$$;

create or replace function queue.schedules_before_write()
returns trigger
language plpgsql
volatile
set search_path = ''
as $$
begin
  new.payload := queue.validate_payload(new.kind, new.payload);
  return new;
end;
$$;
comment on function queue.schedules_before_write() is
$$Trigger: validate and normalize a schedule's payload, so that a bad schedule is refused when written, not when due.$$;

create or replace trigger schedules_validate
  before insert or update of kind, payload on queue.schedules
  for each row execute function queue.schedules_before_write();
comment on trigger schedules_validate on queue.schedules is
$$Refuse a schedule whose payload its kind's validator refuses.$$;
