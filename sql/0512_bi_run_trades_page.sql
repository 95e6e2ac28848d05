-- sql/0512_bi_run_trades_page.sql
-- bi.run_trades_page: one page of a run's trades sorted by a chosen column, so the run page of a
-- run with thousands of trades shows 100 at a time (sorted by the database, not in the browser).
-- Depends on bi.backtest_trades (sql/0500); grants in sql/0590.

create or replace function bi.run_trades_page(run_id bigint, sort text, descending boolean, page_size integer,
                                              page integer)
returns setof bi.backtest_trades
language plpgsql
stable
set search_path = ''
as $$
begin
  if sort is null or sort <> all (array['n', 'side', 'entry_time', 'entry_price', 'exit_time', 'exit_price', 'size',
                                         'pnl', 'return_pct', 'fees', 'exit_reason']) then
    raise exception 'bi.run_trades_page: sort must be a column of bi.backtest_trades other than run_id, got %',
      coalesce(pg_catalog.quote_literal(sort), 'null')
      using errcode = 'invalid_parameter_value';
  end if;
  if page_size is null or page_size not between 1 and 1000 then
    raise exception 'bi.run_trades_page: page_size must be from 1 to 1000, got %', coalesce(page_size::pg_catalog.text, 'null')
      using errcode = 'invalid_parameter_value';
  end if;
  if page is null or page < 1 then
    raise exception 'bi.run_trades_page: page must be 1 or more, got %', coalesce(page::pg_catalog.text, 'null')
      using errcode = 'invalid_parameter_value';
  end if;
  -- sort is one of the names above, quoted by %I; ties keep the trade order
  return query execute pg_catalog.format(
    'select t.* from bi.backtest_trades as t where t.run_id = $1 order by t.%I %s, t.n limit $2 offset $3',
    sort, case when descending then 'desc nulls last' else 'asc nulls first' end)
    using run_id, page_size, (page::bigint - 1) * page_size;
end;
$$;
comment on function bi.run_trades_page(bigint, text, boolean, integer, integer) is
$$Page `page` (from 1) of `page_size` (1 to 1,000) trades of run `run_id`, sorted by column `sort`.

sort: n, side, entry_time, entry_price, exit_time, exit_price, size, pnl, return_pct, fees or
exit_reason (another name is refused, naming the parameter); descending reverses it; ties in
trade order (n). Rows as bi.backtest_trades. A page past the last trade is empty.$$;
