-- pgtests/market/inst_id_rule_is_one_function.test.sql
-- market.is_inst_id is the one instId rule: the four tables' CHECKs, the domain market.inst_id, the
-- job payload reader and market.inst_type_of all follow it, and no other SQL spells the pattern out.
begin;
select plan(14);

-- TEST
select ok(market.is_inst_id('BTC-USDT') and market.is_inst_id('BTC-USD-240628-60000-C'), 'two and four parts are ids');
select ok(not market.is_inst_id('BTC') and not market.is_inst_id('A-B-C-D-E-F'), 'one and six parts are not');
select ok(not market.is_inst_id('btc-usdt') and not market.is_inst_id('BTC--USDT') and not market.is_inst_id(E'BTC-USDT\n'),
          'lower case, an empty part and a trailing newline are refused');
select is(market.is_inst_id(null), null, 'NULL in, NULL out');

select is('BTC-USDT'::market.inst_id::text, 'BTC-USDT', 'the domain takes an id');
select throws_ok($$ select 'btc-usdt'::market.inst_id $$, '23514', null, 'the domain refuses a non-id');

select is(market.inst_type_of('BTC-USDT-SWAP'), 'SWAP', 'inst_type_of: a swap');
select is(market.inst_type_of('BTC-USDT'), 'SPOT', 'inst_type_of: spot');
select is(market.inst_type_of('not an id'), null, 'inst_type_of: NULL for text that is not an id');

select throws_ok($$ insert into market.instruments (inst_id, inst_type) values ('BTC_USDT', 'SPOT') $$, '23514', null,
                 'market.instruments refuses a non-id through its CHECK');
select throws_ok($$ insert into market.tickers (inst_id, ts) values ('BTC USDT', now()) $$, '23514', null,
                 'market.tickers refuses a non-id through its CHECK');
select throws_ok($$ select queue.payload_inst_id('{"inst_id": "BTC-USDT-SWAP-X-Y-Z"}', 'ingest', 'inst_id') $$, '22023', null,
                 'the payload reader refuses a six-part id');

-- Every CHECK on an inst_id column calls the function rather than a pattern of its own.
select is((select count(*)::int from pg_catalog.pg_constraint c
            where c.contype = 'c' and c.conname like '%inst_id_is_well_formed'
              and c.conrelid <> 0
              and pg_catalog.pg_get_constraintdef(c.oid) not like '%market.is_inst_id(inst_id)%'), 0,
          'no inst_id CHECK spells out its own pattern');
-- No function but market.is_inst_id holds the pattern.
select is((select pg_catalog.string_agg(p.oid::regprocedure::text, ', ') from pg_catalog.pg_proc p
             join pg_catalog.pg_namespace n on n.oid = p.pronamespace
            where n.nspname in ('market', 'queue', 'backtest', 'bi')
              and p.prosrc like '%[A-Z0-9]+(-[A-Z0-9]+)%' and p.proname <> 'is_inst_id'), null,
          'no other function spells out the instId pattern');

select * from finish();
rollback;
