// GET /api/v5/public/funding-rate-history and /public/funding-rate for the simulated swaps.
// Funding times are multiples of the swap's interval (SwapModel: 8 h, 4 h for ETH-USDT-SWAP);
// history is served newest first, about three months back, at most 400 rows a page.
import CivilTime
import FlyingFox

extension OKXSimulator {
    func fundingHistoryAnswer(_ req: HTTPRequest) -> Answer {
        let q = req.query
        guard let instId = q["instId"], !instId.isEmpty else { return Errors.empty("instId") }
        var limit = 100
        if let l = q["limit"], !l.isEmpty {
            guard let v = Int(l), v > 0 else { return Errors.param("limit") }
            limit = min(v, 400)
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
        guard let spec = market.spec(instId), spec.isSwap else { return Errors.unknownInstrument }
        let step = SwapModel.fundingIntervalMs(instId)
        let now = market.nowMs
        let listed = Int64(spec.listTime) ?? 0
        let oldest = max(listed, market.firstMinute * 60_000, now - SwapModel.fundingHistoryMs)
        var t = floorDiv(now, step) * step                       // the newest settled funding time
        if let after { t = min(t, floorDiv(after - 1, step) * step) }
        var lowest = oldest
        if let before { lowest = max(lowest, before + 1) }
        var times: [Int64] = []
        while t >= lowest && times.count < limit { times.append(t); t -= step }
        stats.served(.init(endpoint: "funding-rate-history", instId: instId, bar: "", after: after, before: before,
                           limit: limit, rows: times.count))
        var o = JSONOut(capacity: 40 + times.count * 200)
        o.raw(#"{"code":"0","msg":"","data":["#)
        for (n, ft) in times.enumerated() {
            if n > 0 { o.byte(0x2C) }
            let rate = SwapModel.format(SwapModel.rate(instId, fundingTime: ft))
            o.raw(#"{"formulaType":"noRate","fundingRate":""# + rate + #"","fundingTime":""# + String(ft)
                  + #"","instId":""# + instId + #"","instType":"SWAP","method":"current_period","realizedRate":""# + rate + #""}"#)
        }
        o.raw("]}")
        return Answer(200, o.bytes)
    }

    func fundingRateAnswer(_ req: HTTPRequest) -> Answer {
        guard let instId = req.query["instId"], !instId.isEmpty else { return Errors.empty("instId") }
        guard let spec = market.spec(instId), spec.isSwap else { return Errors.unknownInstrument }
        let step = SwapModel.fundingIntervalMs(instId)
        let now = market.nowMs
        let next = floorDiv(now, step) * step + step              // the settlement of the current period
        let rate = SwapModel.format(SwapModel.rate(instId, fundingTime: next, upTo: now))
        let cap = SwapModel.format(SwapModel.cap)
        let premium = SwapModel.format(SwapModel.premium(instId, now))
        stats.served(.init(endpoint: "funding-rate", instId: instId, bar: "", after: nil, before: nil, limit: 1, rows: 1))
        let body = #"{"code":"0","data":[{"formulaType":"noRate","fundingRate":""# + rate + #"","fundingTime":""# + String(next)
            + #"","impactValue":"","instId":""# + instId + #"","instType":"SWAP","interestRate":"0.0001","maxFundingRate":""# + cap
            + #"","method":"current_period","minFundingRate":"-"# + cap + #"","nextFundingRate":"","nextFundingTime":""# + String(next + step)
            + #"","premium":""# + premium + #"","settFundingRate":"","settState":"settled","ts":""# + String(now) + #""}],"msg":""}"#
        return Answer(200, body)
    }
}
