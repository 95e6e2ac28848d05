-- pgtests/market/partitions_maintained_ahead_by_schedule.test.sql
-- market.maintain_candle_partitions makes the months ahead of both candle tables; the maintain_partitions schedule runs it daily.
begin;
select plan(13);

-- TEST
select cmp_ok(market.maintain_candle_partitions(4), '>=', 0, 'maintain_candle_partitions(4) runs');
select ok(to_regclass(format('market.%I', to_char(date_trunc('month', now() at time zone 'UTC') + interval '4 months',
                                                   '"candles_y"YYYY"m"MM'))) is not null,
          'the partition four months ahead exists');
select ok(to_regclass(format('market.%I', to_char(date_trunc('month', now() at time zone 'UTC') + interval '4 months',
                                                   '"mark_index_candles_y"YYYY"m"MM'))) is not null,
          'the mark/index partition four months ahead exists too (month two of a swap needs no DDL)');
select is(market.maintain_candle_partitions(4), 0, 'a second call makes nothing');
select throws_ok('select market.maintain_candle_partitions(1)', '22023', null, 'fewer than 2 months ahead is refused');
select throws_ok('select market.maintain_candle_partitions(25)', '22023', null, 'more than 24 months ahead is refused');
select throws_ok('select market.maintain_candle_partitions(null)', '22023', null, 'null is refused');

select results_eq($$ select kind, payload, every, enabled from queue.schedules where name = 'maintain_partitions' $$,
                  $$ values ('maintain_partitions'::text, '{"months_ahead": 3}'::jsonb, interval '1 day', true) $$,
                  'a daily maintain_partitions schedule exists without any watchlist entry');
select ok((select next_run_at > now() from queue.schedules where name = 'maintain_partitions'),
          'its first run is ahead: the migrate made the months already');
select ok(to_regclass(format('market.%I', to_char(date_trunc('month', (select max(applied_at) from meta.repeatable_files) at time zone 'UTC')
                                                   + interval '3 months', '"candles_y"YYYY"m"MM'))) is not null,
          'the migrate made the partition three months ahead of it');
select is(queue.validate_payload('maintain_partitions', '{}'), '{"months_ahead": 3}'::jsonb,
          'the payload defaults to 3 months ahead');
select throws_ok($$ select queue.validate_payload('maintain_partitions', '{"months_ahead": 1}') $$, '22023', null,
                 'the payload refuses fewer than 2 months ahead');
select throws_ok($$ select queue.validate_payload('maintain_partitions', '{"ahead": 3}') $$, '22023', null,
                 'the payload refuses unknown fields');

select * from finish();
rollback;
