// /sim/*: stats, faults on request, candles of a range, and what the simulator holds (tests and benches).
// Not part of OKX's API.
import FlyingFox
import Foundation
import enum OKX.Bar

extension OKXSimulator {
    func simAnswer(_ req: HTTPRequest) async -> Answer {
        func json(_ obj: Any, _ status: Int = 200) -> Answer {
            let data = (try? JSONSerialization.data(withJSONObject: obj, options: [.sortedKeys])) ?? Data("{}".utf8)
            return Answer(status, [UInt8](data))
        }
        switch (req.method, req.path) {
        case (.GET, "/sim/stats"):
            return json(stats.json)
        case (.POST, "/sim/stats/reset"):
            stats.reset()
            return json(["ok": true])
        case (.GET, "/sim/faults"):
            return json(faults.current.json)
        case (.POST, "/sim/faults"):
            let body = (try? await req.bodyData) ?? Data()
            var pairs: [String: Double] = [:]
            if !body.isEmpty {
                guard let obj = try? JSONSerialization.jsonObject(with: body) as? [String: Any] else {
                    return json(["error": "body must be a JSON object {\"kind\": rate, ...}"], 400)
                }
                for (k, v) in obj {
                    guard let n = v as? NSNumber else { return json(["error": "\(k): rate must be a number"], 400) }
                    pairs[k] = n.doubleValue
                }
            }
            do {
                let c = try FaultConfig.from(pairs)
                faults.set(c)
                return json(c.json)
            } catch {
                return json(["error": "\(error)"], 400)
            }
        case (.GET, "/sim/candles"):
            let q = req.query
            guard let instId = q["instId"], let spec = market.spec(instId) else {
                return json(["error": "instId: unknown or missing"], 400)
            }
            guard let bar = Bar.simulated(named: q["bar"] ?? "1m") else { return json(["error": "bar: unknown"], 400) }
            guard let from = q["from"].flatMap(parseSimDate), let to = q["to"].flatMap(parseSimDate) else {
                return json(["error": "from and to (Unix ms or YYYY-MM-DD) are required"], 400)
            }
            return Answer(200, candleBody(market.range(instId, bar, fromMs: from, toMs: to), spec))
        case (.GET, "/sim/info"):
            return json(["seed": NSNumber(value: market.seed), "fromMs": NSNumber(value: market.firstMinute * 60_000),
                         "nowMs": NSNumber(value: market.nowMs), "instruments": market.instruments.map(\.instId),
                         "bars": Bar.simulated.map(\.rawValue)])
        default:
            return json(["error": "not found"], 404)
        }
    }
}
