// GET /api/v5/market/tickers and /market/ticker: 24h figures consistent with the candles.
// Reads the market's 1m aggregates; bars from OKX.Bar.
import CivilTime
import FlyingFox
import enum OKX.Bar

extension OKXSimulator {
    func tickersAnswer(_ req: HTTPRequest) -> Answer {
        guard let type = req.query["instType"], !type.isEmpty else { return Errors.empty("instType") }
        guard ["SPOT", "MARGIN", "SWAP", "FUTURES", "OPTION"].contains(type) else { return Errors.param("instType") }
        let list = market.instruments.filter { $0.instType == type }
        var o = JSONOut(capacity: 512 * max(1, list.count))
        o.raw(#"{"code":"0","msg":"","data":["#)
        var n = 0
        for s in list {
            if n > 0 { o.byte(0x2C) }
            if writeTicker(s, &o) { n += 1 }
        }
        o.raw("]}")
        return Answer(200, o.bytes)
    }

    func tickerAnswer(_ req: HTTPRequest) -> Answer {
        guard let id = req.query["instId"], !id.isEmpty else { return Errors.empty("instId") }
        guard let s = market.spec(id) else { return Errors.unknownInstrument }
        var o = JSONOut(capacity: 512)
        o.raw(#"{"code":"0","msg":"","data":["#)
        _ = writeTicker(s, &o)
        o.raw("]}")
        return Answer(200, o.bytes)
    }

    /// Ticker consistent with the candles: last = the current 1m close; 24h figures from the
    /// last 1,440 1m candles (the current one included); sodUtc0/sodUtc8 = open of the current
    /// 1Dutc / 1D candle; bid = last, ask = last + 1 tick.
    func writeTicker(_ s: InstrumentSpec, _ o: inout JSONOut) -> Bool {
        let now = market.nowMs
        let m1 = floorDiv(now, 60_000) + 1
        guard let day = market.aggregate(s.instId, minutes: m1 - 1440, m1),
              let cur = market.aggregate(s.instId, minutes: m1 - 1, m1) else { return false }
        let d0 = market.aggregate(s.instId, minutes: floorDiv(Bar.d1utc.start(of: now), 60_000), m1) ?? cur
        let d8 = market.aggregate(s.instId, minutes: floorDiv(Bar.d1.start(of: now), 60_000), m1) ?? cur
        var h = SplitMix64(market.seed ^ stableHash("ticker:" + s.instId) &+ UInt64(bitPattern: m1))
        let minUnits = units(s.minSz) * pow10(s.lotScale - scale(of: s.minSz))
        let ts = s.tickScale
        var first = true
        func kv(_ k: String, _ write: (inout JSONOut) -> Void) {
            if !first { o.byte(0x2C) }
            first = false
            o.string(k); o.byte(0x3A); write(&o)
        }
        o.byte(0x7B)
        kv("instType") { $0.string(s.instType) }
        kv("instId") { $0.string(s.instId) }
        kv("last") { $0.decimal(cur.c, scale: ts) }
        kv("lastSz") { $0.decimal(minUnits * Int64(1 + h.next() % 40), scale: s.lotScale) }
        kv("askPx") { $0.decimal(cur.c + 1, scale: ts) }
        kv("askSz") { $0.decimal(minUnits * Int64(1 + h.next() % 400), scale: s.lotScale) }
        kv("bidPx") { $0.decimal(cur.c, scale: ts) }
        kv("bidSz") { $0.decimal(minUnits * Int64(1 + h.next() % 400), scale: s.lotScale) }
        kv("open24h") { $0.decimal(day.o, scale: ts) }
        kv("high24h") { $0.decimal(day.h, scale: ts) }
        kv("low24h") { $0.decimal(day.l, scale: ts) }
        kv("volCcy24h") { $0.decimal(day.volCcy, scale: s.volCcyScale) }
        kv("vol24h") { $0.decimal(day.vol, scale: s.volScale) }
        kv("ts") { $0.string(String(now)) }
        kv("sodUtc0") { $0.decimal(d0.o, scale: ts) }
        kv("sodUtc8") { $0.decimal(d8.o, scale: ts) }
        o.byte(0x7D)
        return true
    }
}
