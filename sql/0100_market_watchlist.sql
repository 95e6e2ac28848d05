-- sql/0100_market_watchlist.sql
-- The watchlist's INSERT/UPDATE validation with messages that list the allowed values.
-- Depends on market.watchlist and market.bars() (migrations/0003_market.sql); the CHECKs stay as a backstop.

create or replace function market.watchlist_validate()
returns trigger
language plpgsql
stable
set search_path = ''
as $$
declare
  v_bars text;
begin
  if new.inst_id is null or not market.is_inst_id(new.inst_id) then
    raise exception 'market.watchlist: inst_id must look like BTC-USDT or BTC-USDT-SWAP (upper case, dash separated), got %',
      coalesce(new.inst_id, 'NULL')
      using errcode = 'check_violation', hint = 'Use OKX''s instId exactly, e.g. BTC-USDT.';
  end if;
  if new.bar is null or market.bar_interval(new.bar) is null then
    select pg_catalog.string_agg(b.bar, ', ' order by b.ordinal) into v_bars from market.bars() as b;
    raise exception 'market.watchlist: bar must be one of %, got %', v_bars, coalesce(new.bar, 'NULL')
      using errcode = 'check_violation', hint = 'Bar names are case sensitive: 1m is a minute, 1M a month.';
  end if;
  return new;
end;
$$;
comment on function market.watchlist_validate() is
$$Refuse a watchlist row with a malformed inst_id or an unknown bar, naming the field and the allowed values.

BEFORE INSERT OR UPDATE trigger on market.watchlist; SQLSTATE 23514 like the CHECKs behind it.$$;

drop trigger if exists watchlist_validate on market.watchlist;
create trigger watchlist_validate
  before insert or update of inst_id, bar on market.watchlist
  for each row execute function market.watchlist_validate();
