// OKXRetryPolicy: which failures are retried, how long to wait, and the budget.

import Foundation

/// Exponential backoff with jitter, bounded by attempts and total time.
public struct OKXRetryPolicy: Sendable, Equatable {
    /// Attempts in all, the first included (1 = never retry).
    public var maxAttempts: Int
    /// Total time budget from the first attempt; a retry whose wait would cross it is not made.
    public var maxTotalMs: Int64
    /// Wait before the first retry, doubled at each further retry...
    public var baseDelayMs: Int64
    /// ...up to this.
    public var maxDelayMs: Int64
    /// Fraction of each wait that is random: the wait is d * (1 - jitter * u), u in [0, 1).
    public var jitter: Double

    /// OKX codes that mean "try again later".
    public static let retryableCodes: Set<String> = ["50011", "50013", "50001", "50004", "50026"]
    /// OKX codes (or HTTP 429) counted as refusals by the rate limit.
    public static let rateLimitCodes: Set<String> = ["50011"]
    /// OKX's "no market data found": an empty result, not an error.
    public static let noDataCode = "52000"

    public init(maxAttempts: Int = 6, maxTotalMs: Int64 = 60_000, baseDelayMs: Int64 = 250,
                maxDelayMs: Int64 = 10_000, jitter: Double = 0.5) {
        precondition(maxAttempts >= 1, "maxAttempts must be >= 1")
        precondition(baseDelayMs >= 0 && maxDelayMs >= baseDelayMs, "need 0 <= baseDelayMs <= maxDelayMs")
        precondition(jitter >= 0 && jitter <= 1, "jitter must be in 0...1")
        self.maxAttempts = maxAttempts
        self.maxTotalMs = maxTotalMs
        self.baseDelayMs = baseDelayMs
        self.maxDelayMs = maxDelayMs
        self.jitter = jitter
    }

    /// No retries at all.
    public static let none = OKXRetryPolicy(maxAttempts: 1)

    /// The wait after failed attempt `attempt` (1-based), given a random number in [0, 1).
    public func delayMs(afterAttempt attempt: Int, random u: Double) -> Int64 {
        let exponent = min(max(attempt - 1, 0), 40)
        let raw = Double(baseDelayMs) * pow2(exponent)
        let capped = min(raw, Double(maxDelayMs))
        let jittered = capped * (1 - jitter * min(max(u, 0), 1))
        return Int64(jittered.rounded())
    }

    /// True when an HTTP status alone calls for a retry (429 and 5xx).
    public static func isRetryable(httpStatus: Int) -> Bool { httpStatus == 429 || (500...599).contains(httpStatus) }

    /// True when `body` is the beginning of a JSON text that stops early: inside a string, a
    /// literal or an open array or object, with nothing invalid before the end. Invalid JSON (a
    /// stray token, a mismatched bracket, an HTML page) and complete JSON are both false: only a
    /// cut-off answer is worth asking again at once.
    public static func isTruncatedJSON(_ body: Data) -> Bool {
        var stack: [UInt8] = []
        var inString = false, escaped = false
        var token: [UInt8] = []
        func tokenIsComplete() -> Bool {
            let t = String(decoding: token, as: UTF8.self)
            return t == "true" || t == "false" || t == "null" || isJSONNumber(t)
        }
        for b in body {
            if inString {
                if escaped { escaped = false } else if b == 0x5C { escaped = true } else if b == 0x22 { inString = false }
                continue
            }
            switch b {
            case 0x30...0x39, 0x61...0x7A, 0x41...0x5A, 0x2B, 0x2D, 0x2E:   // 0-9 a-z A-Z + - .
                token.append(b)
                continue
            default:
                break
            }
            if !token.isEmpty {
                guard tokenIsComplete() else { return false }
                token.removeAll()
            }
            switch b {
            case 0x20, 0x09, 0x0A, 0x0D, 0x2C, 0x3A: break       // whitespace , :
            case 0x22: inString = true
            case 0x7B, 0x5B: stack.append(b)                     // { [
            case 0x7D: guard stack.popLast() == 0x7B else { return false }
            case 0x5D: guard stack.popLast() == 0x5B else { return false }
            default: return false
            }
        }
        if !token.isEmpty {
            let t = String(decoding: token, as: UTF8.self)
            let couldGoOn = ["true", "false", "null"].contains { $0.hasPrefix(t) } || isJSONNumber(t) || isJSONNumber(t + "0")
            return couldGoOn && !stack.isEmpty
        }
        return inString || !stack.isEmpty
    }

    /// A JSON number: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
    static func isJSONNumber(_ s: String) -> Bool {
        var u = Array(s.utf8)[...]
        func digits() -> Int { var n = 0; while let c = u.first, (0x30...0x39).contains(c) { u.removeFirst(); n += 1 }; return n }
        if u.first == 0x2D { u.removeFirst() }
        if u.first == 0x30 { u.removeFirst() } else if digits() == 0 { return false }
        if u.first == 0x2E { u.removeFirst(); if digits() == 0 { return false } }
        if u.first == 0x65 || u.first == 0x45 {
            u.removeFirst()
            if u.first == 0x2B || u.first == 0x2D { u.removeFirst() }
            if digits() == 0 { return false }
        }
        return u.isEmpty
    }

    private func pow2(_ n: Int) -> Double {
        var r = 1.0
        for _ in 0..<n { r *= 2 }
        return r
    }
}
