// GET /api/v5/market/candles and /market/history-candles: pages of candles, and the data faults.
// Pages come from Market.page; faulted pages are rewritten row by row (Faults.swift).
import FlyingFox
import enum OKX.Bar

extension OKXSimulator {
    func candlesAnswer(_ req: HTTPRequest, endpoint: Endpoint, fault: FaultKind?) -> Answer {
        let q = req.query
        guard let instId = q["instId"], !instId.isEmpty else { return Errors.empty("instId") }
        let barName = q["bar"].flatMap { $0.isEmpty ? nil : $0 } ?? "1m"
        guard let bar = Bar.simulated(named: barName) else { return Errors.param("bar") }
        var limit = 100
        if let l = q["limit"], !l.isEmpty {
            guard let v = Int(l), v > 0 else { return Errors.param("limit") }
            limit = min(v, 300)
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
        guard let spec = market.spec(instId) else { return Errors.unknownInstrument }
        let name = endpoint == .candles ? "candles" : "history-candles"
        let cursorFault = faults.cursorFault(CursorKey(endpoint: name, instId: instId, bar: barName,
                                                       after: after, before: before, limit: limit))
        if cursorFault != nil && fault == nil { stats.faulted(endpoint) }
        var rows = market.page(instId, bar, after: after, before: before, limit: limit,
                               recentOnly: endpoint == .candles)
        if cursorFault == .empty { rows = [] }
        stats.served(.init(endpoint: name, instId: instId,
                           bar: barName, after: after, before: before, limit: limit, rows: rows.count))
        if case .sticky(let kind)? = cursorFault {
            return Answer(200, faultedCandles(rows, spec, bar, kind, row: rows.count / 2))
        }
        if let fault { return Answer(200, faultedCandles(rows, spec, bar, fault)) }
        return Answer(200, candleBody(rows, spec))
    }

    /// Decimal scales of an instrument's candle fields, computed once per page.
    struct Scales {
        let tick, vol, volCcy, quote: Int
        init(_ s: InstrumentSpec) { tick = s.tickScale; vol = s.volScale; volCcy = s.volCcyScale; quote = s.quoteScale }
    }

    func candleBody(_ rows: [Market.Candle], _ spec: InstrumentSpec) -> [UInt8] {
        let s = Scales(spec)
        var o = JSONOut(capacity: 40 + rows.count * 130)
        o.raw(#"{"code":"0","msg":"","data":["#)
        for (n, c) in rows.enumerated() {
            if n > 0 { o.byte(0x2C) }
            writeRow(c, s, &o)
        }
        o.raw("]}")
        return o.bytes
    }

    func writeRow(_ c: Market.Candle, _ s: Scales, _ o: inout JSONOut) {
        let ts = s.tick
        o.byte(0x5B)
        o.byte(0x22); o.appendDecimal(c.ts, scale: 0); o.byte(0x22); o.byte(0x2C)
        o.decimal(c.agg.o, scale: ts); o.byte(0x2C)
        o.decimal(c.agg.h, scale: ts); o.byte(0x2C)
        o.decimal(c.agg.l, scale: ts); o.byte(0x2C)
        o.decimal(c.agg.c, scale: ts); o.byte(0x2C)
        o.decimal(c.agg.vol, scale: s.vol); o.byte(0x2C)
        o.decimal(c.agg.volCcy, scale: s.volCcy); o.byte(0x2C)
        o.decimal(c.agg.quote, scale: s.quote); o.byte(0x2C)
        o.raw(c.confirmed ? #""1""# : #""0""#)
        o.byte(0x5D)
    }

    /// String rows for the data faults (the slow path; only faulted pages take it).
    func rowStrings(_ c: Market.Candle, _ s: InstrumentSpec) -> [String] {
        [String(c.ts), formatDecimal(c.agg.o, scale: s.tickScale), formatDecimal(c.agg.h, scale: s.tickScale),
         formatDecimal(c.agg.l, scale: s.tickScale), formatDecimal(c.agg.c, scale: s.tickScale),
         formatDecimal(c.agg.vol, scale: s.volScale), formatDecimal(c.agg.volCcy, scale: s.volCcyScale),
         formatDecimal(c.agg.quote, scale: s.quoteScale), c.confirmed ? "1" : "0"]
    }

    /// A page rewritten with one data fault, in row `row` (nil: a row drawn from the seeded RNG).
    func faultedCandles(_ candles: [Market.Candle], _ s: InstrumentSpec, _ bar: Bar, _ fault: FaultKind, row: Int? = nil) -> [UInt8] {
        var rows = candles.map { rowStrings($0, s) }
        if !rows.isEmpty {
            let k = row.map { min(max($0, 0), rows.count - 1) } ?? faults.pick(rows.count)
            switch fault {
            case .duplicateRows: rows.insert(rows[k], at: k + 1)
            case .unorderedRows where row != nil:
                rows.swapAt(0, rows.count - 1)
            case .unorderedRows:
                let original = rows
                faults.shuffle(&rows)
                if rows == original && rows.count > 1 { rows.swapAt(0, rows.count - 1) }
            case .badHighLow:
                let c = candles[k].agg
                rows[k][2] = formatDecimal(c.l, scale: s.tickScale)
                rows[k][3] = formatDecimal(c.h + 1, scale: s.tickScale)
            case .misalignedTs: rows[k][0] = String(candles[k].ts + 1000)
            case .negativeVolume: rows[k][5] = "-" + formatDecimal(max(candles[k].agg.vol, 1), scale: s.volScale)
            case .nanPrice: rows[k][4] = "NaN"
            case .longNumber: rows[k][5] = String(repeating: "9", count: 400)
            case .shortRow: rows[k].removeLast()
            default: break
            }
        }
        var o = JSONOut(capacity: 40 + rows.count * 140)
        o.raw(#"{"code":"0","msg":"","data":["#)
        for (n, r) in rows.enumerated() {
            if n > 0 { o.byte(0x2C) }
            o.byte(0x5B)
            for (i, f) in r.enumerated() {
                if i > 0 { o.byte(0x2C) }
                o.string(f)
            }
            o.byte(0x5D)
        }
        o.raw("]}")
        return o.bytes
    }
}
