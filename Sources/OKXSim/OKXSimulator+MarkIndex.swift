// GET /api/v5/market/mark-price-candles, history-mark-price-candles, index-candles and
// history-index-candles: rows [ts,o,h,l,c,confirm], at most 100 a page, paged like the candle
// endpoints. Prices are the swap's trade candles moved by SwapModel's basis at each candle's open.
import CivilTime
import FlyingFox
import enum OKX.Bar

extension OKXSimulator {
    func markIndexAnswer(_ req: HTTPRequest, endpoint: Endpoint, fault: FaultKind?) -> Answer {
        let q = req.query
        guard let instId = q["instId"], !instId.isEmpty else { return Errors.empty("instId") }
        let barName = q["bar"].flatMap { $0.isEmpty ? nil : $0 } ?? "1m"
        guard let bar = Bar.simulated(named: barName) else { return Errors.param("bar") }
        var limit = 100
        if let l = q["limit"], !l.isEmpty {
            guard let v = Int(l), v > 0 else { return Errors.param("limit") }
            limit = min(v, 100)
        }
        var after: Int64? = nil, before: Int64? = nil
        if let s = q["after"], !s.isEmpty {
            guard let v = Int64(s) else { return Errors.param("after") }
            after = v
        }
        if let s = q["before"], !s.isEmpty {
            guard let v = Int64(s) else { return Errors.param("before") }
            before = v
        }
        let isIndex = endpoint == .indexCandles || endpoint == .historyIndexCandles
        // a mark series belongs to a swap; an index (BTC-USDT) to the swap of that underlying
        let swapId = isIndex ? instId + "-SWAP" : instId
        guard let spec = market.spec(swapId), spec.isSwap else { return Errors.unknownInstrument }
        let recentOnly = endpoint == .markPriceCandles || endpoint == .indexCandles
        let rows = market.page(swapId, bar, after: after, before: before, limit: limit, recentOnly: recentOnly)
        stats.served(.init(endpoint: String(endpoint.rawValue.split(separator: "/").last ?? ""), instId: instId,
                           bar: barName, after: after, before: before, limit: limit, rows: rows.count))
        let basis: (Int64) -> Double = isIndex ? { SwapModel.indexBasis(swapId, $0) } : { SwapModel.markBasis(swapId, $0) }
        var strings = rows.map { c -> [String] in
            let b = basis(c.ts), s = spec.tickScale
            return [String(c.ts), formatDecimal(SwapModel.moved(c.agg.o, b), scale: s),
                    formatDecimal(SwapModel.moved(c.agg.h, b), scale: s), formatDecimal(SwapModel.moved(c.agg.l, b), scale: s),
                    formatDecimal(SwapModel.moved(c.agg.c, b), scale: s), c.confirmed ? "1" : "0"]
        }
        if let fault, !strings.isEmpty { faultPriceRows(&strings, fault) }
        var o = JSONOut(capacity: 40 + strings.count * 80)
        o.raw(#"{"code":"0","msg":"","data":["#)
        for (n, r) in strings.enumerated() {
            if n > 0 { o.byte(0x2C) }
            o.byte(0x5B)
            for (i, f) in r.enumerated() {
                if i > 0 { o.byte(0x2C) }
                o.string(f)
            }
            o.byte(0x5D)
        }
        o.raw("]}")
        return Answer(200, o.bytes)
    }

    /// The candle data faults on [ts,o,h,l,c,confirm] rows (volume faults hit the close).
    func faultPriceRows(_ rows: inout [[String]], _ fault: FaultKind) {
        let k = faults.pick(rows.count)
        switch fault {
        case .duplicateRows: rows.insert(rows[k], at: k + 1)
        case .unorderedRows:
            let original = rows
            faults.shuffle(&rows)
            if rows == original && rows.count > 1 { rows.swapAt(0, rows.count - 1) }
        case .badHighLow: rows[k].swapAt(2, 3); if rows[k][2] == rows[k][3] { rows[k][2] = "0.0000001" }
        case .misalignedTs: rows[k][0] = String((Int64(rows[k][0]) ?? 0) + 1000)
        case .negativeVolume: rows[k][4] = "-" + rows[k][4]
        case .nanPrice: rows[k][4] = "NaN"
        case .longNumber: rows[k][4] = String(repeating: "9", count: 400)
        case .shortRow: rows[k].removeLast()
        default: break
        }
    }
}
