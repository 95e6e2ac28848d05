// Per-IP, per-endpoint sliding-window rate limiter (OKX's limits).
import Foundation

/// Sliding window: a request is refused when the number of requests *accepted* from the same
/// IP to the same endpoint within the last `window` is already at the limit. Refusals are not counted.
final class RateLimiter: @unchecked Sendable {
    private let lock = NSLock()
    private var accepted: [String: [UInt64]] = [:]   // key -> accepted times (ns), oldest first
    let windowNs: UInt64
    let scale: Double

    init(scale: Double, windowSeconds: Double = 2) {
        self.scale = scale
        self.windowNs = UInt64(windowSeconds * 1e9)
    }

    /// The limit of an endpoint after scaling (nil: unlimited).
    func limit(for base: Int) -> Int? {
        if scale <= 0 { return nil }
        return max(1, Int((Double(base) * scale).rounded()))
    }

    func allow(ip: String, endpoint: String, baseLimit: Int) -> Bool {
        guard let limit = limit(for: baseLimit) else { return true }
        let now = DispatchTime.now().uptimeNanoseconds
        let key = ip + " " + endpoint
        lock.lock(); defer { lock.unlock() }
        var times = accepted[key] ?? []
        let cutoff = now > windowNs ? now - windowNs : 0
        if let firstKept = times.firstIndex(where: { $0 > cutoff }) {
            if firstKept > 0 { times.removeFirst(firstKept) }
        } else {
            times.removeAll(keepingCapacity: true)
        }
        guard times.count < limit else {
            accepted[key] = times
            return false
        }
        times.append(now)
        accepted[key] = times
        return true
    }
}
