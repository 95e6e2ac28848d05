-- pgtests/market/bars_lists_every_bar.test.sql
-- market.bars() lists OKX's 25 bars, each with a size and a zone, and nothing else is a bar.
begin;
select plan(4);

-- TEST
select is((select count(*) from market.bars()), 25::bigint, '25 bars');
select is((select count(*) from market.bars() where bar_interval is null or utc_offset is null), 0::bigint, 'each has a size and a zone');
select is((select string_agg(bar, ' ' order by ordinal) from market.bars() where utc_offset = interval '8 hours'),
          '6H 12H 1D 2D 3D 1W 1M 3M', 'the Hong Kong aligned bars');
select is(market.bar_count('1m', '2024-01-01Z', '2025-01-01Z'), 527040::bigint, 'bar_count: 2024 has 527,040 minutes');

select * from finish();
rollback;
