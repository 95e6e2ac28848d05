// GET /api/v5/public/instruments: the instruments of one type, with OKX's field sets.
// Field sets and order as in shared/okx-real/instruments-{spot,swap}.json.
import FlyingFox

extension OKXSimulator {
    func instrumentsAnswer(_ req: HTTPRequest) -> Answer {
        guard let type = req.query["instType"], !type.isEmpty else { return Errors.empty("instType") }
        guard ["SPOT", "MARGIN", "SWAP", "FUTURES", "OPTION"].contains(type) else { return Errors.param("instType") }
        var list = market.instruments.filter { $0.instType == type }
        if let id = req.query["instId"], !id.isEmpty {
            list = list.filter { $0.instId == id }
            if list.isEmpty { return Errors.unknownInstrument }
        }
        var o = JSONOut(capacity: 1024 * max(1, list.count))
        o.raw(#"{"code":"0","msg":"","data":["#)
        for (n, s) in list.enumerated() {
            if n > 0 { o.byte(0x2C) }
            writeInstrument(s, &o)
        }
        o.raw("]}")
        return Answer(200, o.bytes)
    }

    /// Field sets and order as OKX's answers in okx-real/instruments-{spot,swap}.json.
    func writeInstrument(_ s: InstrumentSpec, _ o: inout JSONOut) {
        var first = true
        func kv(_ k: String, _ v: String) {
            if !first { o.byte(0x2C) }
            first = false
            o.string(k); o.byte(0x3A); o.string(v)
        }
        func kraw(_ k: String, _ v: String) {
            if !first { o.byte(0x2C) }
            first = false
            o.string(k); o.byte(0x3A); o.raw(v)
        }
        o.byte(0x7B)
        if s.isSwap {
            let family = s.baseCcy + "-" + s.quoteCcy
            kv("alias", ""); kv("auctionEndTime", ""); kv("baseCcy", ""); kv("category", "1")
            kv("contTdSwTime", ""); kv("ctMult", "1"); kv("ctType", "linear"); kv("ctVal", s.ctVal)
            kv("ctValCcy", s.baseCcy); kv("expTime", ""); kraw("futureSettlement", "false")
            kv("instFamily", family); kv("instId", s.instId); kraw("instIdCode", String(s.instIdCode))
            kv("instType", "SWAP"); kv("lever", "100"); kv("listTime", s.listTime); kv("lotSz", s.lotSz)
            kv("maxIcebergSz", "100000000.0000000000000000"); kv("maxLmtAmt", "20000000")
            kv("maxLmtSz", "100000000"); kv("maxMktAmt", ""); kv("maxMktSz", "20000"); kv("maxPlatOILmt", "")
            kv("maxStopSz", "20000"); kv("maxTriggerSz", "100000000.0000000000000000")
            kv("maxTwapSz", "100000000.0000000000000000"); kv("minSz", s.minSz); kv("openType", "")
            kv("optType", ""); kv("posLmtAmt", ""); kv("posLmtPct", ""); kv("preMktSwTime", "")
            kv("quoteCcy", ""); kv("ruleType", "normal"); kv("settleCcy", s.quoteCcy); kv("state", "live")
            kv("stk", ""); kv("tickSz", s.tickSz); kraw("tradeQuoteCcyList", "[]"); kv("uly", family)
        } else {
            kv("alias", ""); kv("auctionEndTime", ""); kv("baseCcy", s.baseCcy); kv("category", "1")
            kv("ctMult", ""); kv("ctType", ""); kv("ctVal", ""); kv("ctValCcy", ""); kv("expTime", "")
            kv("instFamily", ""); kv("instId", s.instId); kv("instType", "SPOT"); kv("lever", "")
            kv("listTime", s.listTime); kv("lotSz", s.lotSz); kv("maxIcebergSz", "9999999999.0000000000000000")
            kv("maxLmtAmt", "20000000"); kv("maxLmtSz", "9999999999"); kv("maxMktAmt", "1000000")
            kv("maxMktSz", "1000000"); kv("maxStopSz", "1000000"); kv("maxTriggerSz", "9999999999.0000000000000000")
            kv("maxTwapSz", "9999999999.0000000000000000"); kv("minSz", s.minSz); kv("optType", "")
            kv("quoteCcy", s.quoteCcy); kv("ruleType", "normal"); kv("settleCcy", ""); kv("state", "live")
            kv("stk", ""); kv("tickSz", s.tickSz); kv("uly", "")
        }
        o.byte(0x7D)
    }
}
