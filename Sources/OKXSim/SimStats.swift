// Counters behind GET /sim/stats: requests per endpoint (accepted, refused, faulted) and the
// latest candle requests.
import Foundation

/// Request counters for /sim/stats.
final class SimStats: @unchecked Sendable {
    struct Counts { var accepted = 0, refused = 0, faulted = 0 }
    struct CandleRequest { let endpoint, instId, bar: String; let after, before: Int64?; let limit, rows: Int }
    private let lock = NSLock()
    private var counts: [String: Counts] = [:]
    private var rowsByInst: [String: Int] = [:]
    private var requestsByInstBar: [String: Int] = [:]
    /// Ring buffer of the latest candle requests (`recentStart` is the oldest).
    private var recent: [CandleRequest] = []
    private var recentStart = 0
    private var recentDropped = 0
    static let maxRecent = 10_000

    func accepted(_ e: Endpoint) { lock.lock(); counts[e.rawValue, default: Counts()].accepted += 1; lock.unlock() }
    func refused(_ e: Endpoint) { lock.lock(); counts[e.rawValue, default: Counts()].refused += 1; lock.unlock() }
    func faulted(_ e: Endpoint) { lock.lock(); counts[e.rawValue, default: Counts()].faulted += 1; lock.unlock() }

    func served(_ r: CandleRequest) {
        lock.lock(); defer { lock.unlock() }
        rowsByInst[r.instId, default: 0] += r.rows
        requestsByInstBar[r.instId + " " + r.bar, default: 0] += 1
        if recent.count >= SimStats.maxRecent {
            recent[recentStart] = r
            recentStart = (recentStart + 1) % SimStats.maxRecent
            recentDropped += 1
        } else {
            recent.append(r)
        }
    }

    func reset() {
        lock.lock(); defer { lock.unlock() }
        counts = [:]; rowsByInst = [:]; requestsByInstBar = [:]; recent = []; recentStart = 0; recentDropped = 0
    }

    var json: [String: Any] {
        lock.lock(); defer { lock.unlock() }
        var endpoints: [String: Any] = [:]
        for e in Endpoint.allCases {
            let c = counts[e.rawValue] ?? Counts()
            endpoints[e.rawValue] = ["accepted": c.accepted, "refused": c.refused, "faulted": c.faulted]
        }
        let ordered = recent[recentStart...] + recent[..<recentStart]
        let reqs: [[String: Any]] = ordered.map { r in
            var d: [String: Any] = ["endpoint": r.endpoint, "instId": r.instId, "bar": r.bar, "limit": r.limit, "rows": r.rows]
            d["after"] = r.after.map { NSNumber(value: $0) } ?? NSNull()
            d["before"] = r.before.map { NSNumber(value: $0) } ?? NSNull()
            return d
        }
        return [
            "endpoints": endpoints,
            "rowsServedByInstId": rowsByInst,
            "rowsServedTotal": rowsByInst.values.reduce(0, +),
            "candleRequestsByInstIdBar": requestsByInstBar,
            "candleRequests": reqs,
            "candleRequestsDropped": recentDropped,
        ]
    }
}
