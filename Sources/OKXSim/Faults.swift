// Fault injection: kinds, their rates, and the seeded draw.
import Foundation

/// A fault okx-sim can inject into an /api/v5 answer.
public enum FaultKind: String, CaseIterable, Sendable {
    // Whole-answer faults (any /api/v5 endpoint).
    case rateLimit = "rate_limit"        // HTTP 429, code 50011
    case busy                            // HTTP 429, code 50013
    case http5xx                         // HTTP 503, code 50001
    case slow                            // the normal answer after `slow_ms` (default 3000)
    case invalidJSON = "invalid_json"    // HTTP 200, body is not JSON
    case truncated                       // HTTP 200, the normal body cut in the middle
    case closed                          // HTTP 200, the full Content-Length, half the body, connection closed
    // Data faults (candle endpoints only; need at least one row, two for unordered_rows).
    case duplicateRows = "duplicate_rows"
    case unorderedRows = "unordered_rows"
    case badHighLow = "bad_high_low"     // one row with high < low
    case misalignedTs = "misaligned_ts"  // one row's ts 1 s off the bar grid
    case negativeVolume = "negative_volume"
    case nanPrice = "nan_price"          // "NaN" as one row's close
    case longNumber = "long_number"      // a 400-digit vol in one row
    case shortRow = "short_row"          // one row with 8 fields (confirm dropped)

    public var isDataFault: Bool {
        switch self {
        case .duplicateRows, .unorderedRows, .badHighLow, .misalignedTs, .negativeVolume, .nanPrice,
             .longNumber, .shortRow: return true
        default: return false
        }
    }
}

/// Probabilities per request of each fault kind, plus the `slow` delay, plus the faults that
/// follow a cursor rather than a draw (CursorFaults.swift).
public struct FaultConfig: Sendable, Equatable {
    public var rates: [FaultKind: Double] = [:]
    public var slowMs: Int = 3000
    /// `empty_first=N`: the first N requests of every candle cursor answer code "0" with no rows.
    public var emptyFirst: Int = 0
    /// `sticky_<data fault>=N`: the N-th distinct cursor of each endpoint and series (in the order
    /// they are first asked) carries that data fault on every request, in the same row.
    public var sticky: [FaultKind: Int] = [:]

    public init(rates: [FaultKind: Double] = [:], slowMs: Int = 3000, emptyFirst: Int = 0, sticky: [FaultKind: Int] = [:]) {
        self.rates = rates
        self.slowMs = slowMs
        self.emptyFirst = emptyFirst
        self.sticky = sticky
    }

    public enum ParseError: Error, CustomStringConvertible {
        case bad(String)
        public var description: String {
            switch self { case .bad(let s): return s }
        }
    }

    /// Parses `kind=rate,kind=rate[,slow_ms=N][,empty_first=N][,sticky_<kind>=N]` (an empty string is no faults).
    public static func parse(_ spec: String) throws -> FaultConfig {
        var pairs: [String: Double] = [:]
        for part in spec.split(separator: ",") {
            let kv = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard kv.count == 2, let v = Double(kv[1]) else {
                throw ParseError.bad("faults: expected kind=rate, got \(part)")
            }
            pairs[kv[0]] = v
        }
        return try from(pairs)
    }

    /// Builds a config from `{"kind": rate, ..., "slow_ms": N, "empty_first": N, "sticky_<kind>": N}`.
    public static func from(_ pairs: [String: Double]) throws -> FaultConfig {
        var c = FaultConfig()
        for (k, v) in pairs {
            if k == "slow_ms" {
                guard v >= 0 else { throw ParseError.bad("faults: slow_ms must be >= 0") }
                c.slowMs = Int(v)
                continue
            }
            if k == "empty_first" {
                guard v >= 0, v == v.rounded(), v <= 1_000_000 else {
                    throw ParseError.bad("faults: empty_first must be a whole number of requests >= 0, got \(v)")
                }
                c.emptyFirst = Int(v)
                continue
            }
            if k.hasPrefix("sticky_") {
                guard let kind = FaultKind(rawValue: String(k.dropFirst("sticky_".count))), kind.isDataFault else {
                    let names = FaultKind.allCases.filter(\.isDataFault).map { "sticky_" + $0.rawValue }.joined(separator: ", ")
                    throw ParseError.bad("faults: unknown sticky fault \(k); sticky faults: \(names)")
                }
                guard v >= 1, v == v.rounded(), v <= 1_000_000 else {
                    throw ParseError.bad("faults: \(k) must be a page number >= 1, got \(v)")
                }
                c.sticky[kind] = Int(v)
                continue
            }
            guard let kind = FaultKind(rawValue: k) else {
                let names = FaultKind.allCases.map(\.rawValue).joined(separator: ", ")
                throw ParseError.bad("faults: unknown kind \(k); kinds: \(names), slow_ms, empty_first, sticky_<data kind>")
            }
            guard v >= 0 && v <= 1 else { throw ParseError.bad("faults: rate of \(k) must be in [0, 1], got \(v)") }
            c.rates[kind] = v
        }
        return c
    }

    var json: [String: Any] {
        var d: [String: Any] = ["slow_ms": slowMs]
        for (k, v) in rates { d[k.rawValue] = v }
        if emptyFirst > 0 { d["empty_first"] = emptyFirst }
        for (k, v) in sticky { d["sticky_" + k.rawValue] = v }
        return d
    }
}

/// Draws faults from a seeded generator: the same seed and request order give the same faults.
final class FaultInjector: @unchecked Sendable {
    private let lock = NSLock()
    private var config: FaultConfig
    private var rng: SplitMix64
    /// Requests seen per candle cursor, and the cursors of each endpoint and series in the order
    /// they were first asked (CursorFaults.swift).
    var cursorRequests: [CursorKey: Int] = [:]
    var cursorOrdinals: [CursorKey: Int] = [:]
    var seriesCursors: [String: Int] = [:]

    init(config: FaultConfig, seed: UInt64) {
        self.config = config
        self.rng = SplitMix64(seed ^ 0xFA17_FA17_FA17_FA17)
    }

    var current: FaultConfig {
        lock.lock(); defer { lock.unlock() }
        return config
    }

    func set(_ c: FaultConfig) {
        lock.lock(); defer { lock.unlock() }
        config = c
        cursorRequests = [:]; cursorOrdinals = [:]; seriesCursors = [:]
    }

    func withLock<T>(_ body: () -> T) -> T {
        lock.lock(); defer { lock.unlock() }
        return body()
    }

    /// At most one fault per request: one uniform draw against the kinds' cumulative rates
    /// (in declaration order). Data faults are skipped on endpoints without candles.
    func draw(candleEndpoint: Bool) -> FaultKind? {
        lock.lock(); defer { lock.unlock() }
        if config.rates.isEmpty { return nil }
        let u = rng.unit()
        var acc = 0.0
        for kind in FaultKind.allCases {
            guard let r = config.rates[kind], r > 0 else { continue }
            acc += r
            if u < acc { return (kind.isDataFault && !candleEndpoint) ? nil : kind }
        }
        return nil
    }

    /// A seeded integer in 0..<n for choosing a faulted row.
    func pick(_ n: Int) -> Int {
        lock.lock(); defer { lock.unlock() }
        return n <= 1 ? 0 : Int(rng.next() % UInt64(n))
    }

    func shuffle<T>(_ a: inout [T]) {
        lock.lock(); defer { lock.unlock() }
        a.shuffle(using: &rng)
    }
}
