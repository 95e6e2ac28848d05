// The deterministic synthetic market: a seeded random walk per instrument at 1-minute
// resolution, integer ticks and integer volume units, aggregated exactly into every bar.
import CivilTime
import Foundation
import enum OKX.Bar

/// A simulated instrument. Prices are integers of `tickSz`; volumes integers of their own units.
public struct InstrumentSpec: Sendable {
    public let instId: String
    public let instType: String   // "SPOT" or "SWAP"
    public let baseCcy: String
    public let quoteCcy: String
    public let tickSz: String
    public let lotSz: String
    public let minSz: String
    public let ctVal: String      // "" for spot
    public let listTime: String
    public let instIdCode: Int
    let startPrice: Double
    /// Mean traded base-coin amount per minute.
    let baseVolPerMinute: Double
    /// Probability that a minute has no trade (prices repeat the previous close, volume 0).
    let emptyMinuteProbability: Double
    /// nil: the coin has its own daily level walk (anchored at log(startPrice)). Otherwise the key of
    /// a walk anchored at 0 that several instruments share, each offset by log(startPrice).
    let sharedLevels: String?

    init(instId: String, instType: String, baseCcy: String, quoteCcy: String, tickSz: String, lotSz: String,
         minSz: String, ctVal: String, listTime: String, instIdCode: Int, startPrice: Double,
         baseVolPerMinute: Double, emptyMinuteProbability: Double, sharedLevels: String? = nil) {
        self.instId = instId; self.instType = instType; self.baseCcy = baseCcy; self.quoteCcy = quoteCcy
        self.tickSz = tickSz; self.lotSz = lotSz; self.minSz = minSz; self.ctVal = ctVal
        self.listTime = listTime; self.instIdCode = instIdCode; self.startPrice = startPrice
        self.baseVolPerMinute = baseVolPerMinute; self.emptyMinuteProbability = emptyMinuteProbability
        self.sharedLevels = sharedLevels
    }

    var tickScale: Int { scale(of: tickSz) }
    var lotScale: Int { scale(of: lotSz) }
    var ctValScale: Int { ctVal.isEmpty ? 0 : scale(of: ctVal) }
    var ctValUnits: Int64 { ctVal.isEmpty ? 1 : units(ctVal) }
    var isSwap: Bool { instType == "SWAP" }

    /// `vol`: base coin (spot) or contracts (swap), in units of lotSz.
    var volScale: Int { lotScale }
    /// `volCcyQuote`: quote currency. Spot: price x vol rounded to at most 6 decimals per
    /// minute (keeps 3M sums inside Int64); swap: exact (tick x contract x ctVal).
    var quoteScale: Int { isSwap ? tickScale + lotScale + ctValScale : min(tickScale + lotScale, 6) }
    /// `volCcy`: quote (spot, the same as volCcyQuote) or base coin (swap: vol x ctVal, exact).
    var volCcyScale: Int { isSwap ? lotScale + ctValScale : quoteScale }
}

func scale(of decimal: String) -> Int {
    guard let dot = decimal.firstIndex(of: ".") else { return 0 }
    return decimal.distance(from: dot, to: decimal.endIndex) - 1
}

func units(_ decimal: String) -> Int64 { Int64(decimal.replacingOccurrences(of: ".", with: ""))! }

public enum Instruments {
    /// `count` synthetic spot instruments for scale runs (okx-sim --extra-spot N): `SIM0001-USDT`,
    /// `SIM0002-USDT`, ... (4 digits; at most 9,999), priced from 0.5 to about 500 USDT, all from the
    /// same model as the named instruments. Their daily levels share one walk ("SIM"), offset by the
    /// log of each start price, so 1,000 of them cost one level array, not 1,000.
    public static func synthetic(count: Int) -> [InstrumentSpec] {
        (0..<max(0, min(count, 9_999))).map { i in
            let n = i + 1
            let digits = String(n)
            let name = "SIM" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
            // Deterministic spread of prices and volumes, independent of the seed (names and specs
            // are the catalogue; the seed drives the walks).
            var r = SplitMix64(stableHash("synthetic:" + name))
            let price = 0.5 * pow(1000, r.unit())
            return InstrumentSpec(instId: name + "-USDT", instType: "SPOT", baseCcy: name, quoteCcy: "USDT",
                                  tickSz: "0.0001", lotSz: "0.000001", minSz: "0.01", ctVal: "",
                                  listTime: "1704067200000", instIdCode: 100_000 + n,
                                  startPrice: price, baseVolPerMinute: 20_000 / price,
                                  emptyMinuteProbability: 0.001, sharedLevels: "SIM")
        }
    }

    public static let all: [InstrumentSpec] = [
        .init(instId: "BTC-USDT", instType: "SPOT", baseCcy: "BTC", quoteCcy: "USDT", tickSz: "0.1",
              lotSz: "0.00000001", minSz: "0.00001", ctVal: "", listTime: "1548133413000", instIdCode: 1001,
              startPrice: 43000, baseVolPerMinute: 2.5, emptyMinuteProbability: 0),
        .init(instId: "ETH-USDT", instType: "SPOT", baseCcy: "ETH", quoteCcy: "USDT", tickSz: "0.01",
              lotSz: "0.000001", minSz: "0.0001", ctVal: "", listTime: "1548133413000", instIdCode: 1002,
              startPrice: 2300, baseVolPerMinute: 30, emptyMinuteProbability: 0),
        .init(instId: "SOL-USDT", instType: "SPOT", baseCcy: "SOL", quoteCcy: "USDT", tickSz: "0.01",
              lotSz: "0.000001", minSz: "0.001", ctVal: "", listTime: "1599120000000", instIdCode: 1003,
              startPrice: 100, baseVolPerMinute: 400, emptyMinuteProbability: 0),
        .init(instId: "OKB-USDT", instType: "SPOT", baseCcy: "OKB", quoteCcy: "USDT", tickSz: "0.001",
              lotSz: "0.000001", minSz: "0.01", ctVal: "", listTime: "1548133413000", instIdCode: 1004,
              startPrice: 55, baseVolPerMinute: 40, emptyMinuteProbability: 0.01),
        .init(instId: "XRP-USDT", instType: "SPOT", baseCcy: "XRP", quoteCcy: "USDT", tickSz: "0.0001",
              lotSz: "0.000001", minSz: "1", ctVal: "", listTime: "1548133413000", instIdCode: 1005,
              startPrice: 0.6, baseVolPerMinute: 60000, emptyMinuteProbability: 0.002),
        .init(instId: "BTC-USDT-SWAP", instType: "SWAP", baseCcy: "BTC", quoteCcy: "USDT", tickSz: "0.1",
              lotSz: "0.01", minSz: "0.01", ctVal: "0.01", listTime: "1573557408000", instIdCode: 10459,
              startPrice: 43000, baseVolPerMinute: 8, emptyMinuteProbability: 0),
        .init(instId: "ETH-USDT-SWAP", instType: "SWAP", baseCcy: "ETH", quoteCcy: "USDT", tickSz: "0.01",
              lotSz: "0.01", minSz: "0.01", ctVal: "0.1", listTime: "1573557408000", instIdCode: 10461,
              startPrice: 2300, baseVolPerMinute: 90, emptyMinuteProbability: 0),
    ]
}

/// OHLCV aggregate of one or more minutes; prices in ticks, volumes in their integer units.
public struct Agg: Sendable, Equatable {
    public var o: Int64, h: Int64, l: Int64, c: Int64
    public var vol: Int64, volCcy: Int64, quote: Int64
    public var minutes: Int32

    @inline(__always) mutating func add(_ b: Agg) {
        if b.h > h { h = b.h }
        if b.l < l { l = b.l }
        c = b.c
        vol += b.vol; volCcy += b.volCcy; quote += b.quote
        minutes += b.minutes
    }
}

/// One day (UTC) of 1m candles for one instrument, plus its hourly and daily aggregates.
final class DayChunk: @unchecked Sendable {
    var o = [Int64](repeating: 0, count: 1440), h = [Int64](repeating: 0, count: 1440)
    var l = [Int64](repeating: 0, count: 1440), c = [Int64](repeating: 0, count: 1440)
    var v = [Int64](repeating: 0, count: 1440), vc = [Int64](repeating: 0, count: 1440)
    var q = [Int64](repeating: 0, count: 1440)
    var lastUse: UInt64 = 0

    @inline(__always) func minute(_ i: Int) -> Agg {
        Agg(o: o[i], h: h[i], l: l[i], c: c[i], vol: v[i], volCcy: vc[i], quote: q[i], minutes: 1)
    }
}

/// SplitMix64: the seeded generator behind every random draw of the market.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(_ seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) * 0x1.0p-53 }
    /// Approximately standard normal (Irwin-Hall of 4, rescaled): cheap and deterministic.
    mutating func gauss() -> Double { (unit() + unit() + unit() + unit() - 2) * 1.7320508075688772 }
}

/// FNV-1a: a stable string hash (Swift's Hasher is randomised per process).
func stableHash(_ s: String) -> UInt64 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in s.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
    return h
}

/// The simulated market: deterministic in `seed`. Thread-safe.
///
/// - Each coin has a daily log-price random walk anchored at its start price on 2024-01-01 and
///   walked both ways (weak mean reversion), shared by its spot and swap instruments.
/// - Each instrument's UTC day is generated on its own from (seed, instId, day): a Brownian
///   bridge from the day's level to the next day's level plus minute noise, rounded to ticks.
///   Minute i's open is the bridge at i, its close the bridge at i + 1; high and low extend them.
///   Some instruments have minutes without trades (o = h = l = c, zero volume).
/// - Volumes are integers: vol in lotSz units; swap volCcy = vol x ctVal (exact); volCcyQuote is
///   the minute's mean price x volume, exact for swaps and rounded to at most 6 decimals per
///   minute for spot (spot volCcy = volCcyQuote). Bars sum the minutes, so every bar is the exact
///   aggregate of the 1m series.
/// - Minute days are cached (LRU, `maxCachedDays` per instrument, about 80 KB each); hourly and
///   daily aggregates are kept for every generated day, so large bars never scan minutes.
public final class Market: @unchecked Sendable {
    public let seed: UInt64
    public let instruments: [InstrumentSpec]
    let byId: [String: Int]
    /// First minute of the simulated history (Unix minutes).
    public let firstMinute: Int64
    let clock: @Sendable () -> Int64
    let states: [InstrumentState]

    /// Daily log-price levels are defined for days [levelOrigin, levelOrigin + levelCount).
    static let levelOrigin: Int64 = 0            // 1970-01-01
    static let levelAnchor: Int64 = 19723        // 2024-01-01: level = log(startPrice)
    static let levelCount = 40_000               // through 2079

    /// - Parameters:
    ///   - fromMs: start of the history (floored to the minute).
    ///   - clock: current time in Unix ms (frozen in tests).
    ///   - maxCachedDays: bound on cached minute day-chunks per instrument (about 80 KB each).
    ///   - extraSpot: synthetic spot instruments added after the named ones (`Instruments.synthetic`).
    public init(seed: UInt64, fromMs: Int64, clock: @escaping @Sendable () -> Int64, maxCachedDays: Int = 120,
                extraSpot: Int = 0) {
        self.seed = seed
        self.instruments = Instruments.all + Instruments.synthetic(count: extraSpot)
        self.byId = Dictionary(uniqueKeysWithValues: instruments.enumerated().map { ($1.instId, $0) })
        self.firstMinute = floorDiv(fromMs, 60_000)
        self.clock = clock
        var levelsByBase: [String: [Double]] = [:]
        for spec in instruments {
            let key = spec.sharedLevels.map { "shared:" + $0 } ?? spec.baseCcy
            if levelsByBase[key] == nil {
                levelsByBase[key] = Market.dailyLevels(seed: seed, base: spec.sharedLevels ?? spec.baseCcy,
                                                       start: spec.sharedLevels == nil ? spec.startPrice : 1)
            }
        }
        self.states = instruments.map {
            let key = $0.sharedLevels.map { "shared:" + $0 } ?? $0.baseCcy
            return InstrumentState(spec: $0, seed: seed, levels: levelsByBase[key]!,
                                   levelOffset: $0.sharedLevels == nil ? 0 : log($0.startPrice), maxCached: maxCachedDays)
        }
    }

    /// Daily log-price random walk from the anchor day, both ways, with weak mean reversion so
    /// prices stay within a sensible range over decades. Shared by a coin's spot and swap.
    static func dailyLevels(seed: UInt64, base: String, start: Double) -> [Double] {
        var levels = [Double](repeating: 0, count: levelCount)
        let anchor = Int(levelAnchor - levelOrigin)
        let mu = log(start)
        levels[anchor] = mu
        let sigma = 0.025
        func step(_ d: Int) -> Double {
            var r = SplitMix64(seed ^ stableHash("level:" + base) &+ UInt64(d) &* 0x9E37_79B9_7F4A_7C15)
            return sigma * r.gauss()
        }
        if anchor + 1 < levelCount {
            for d in (anchor + 1)..<levelCount {
                levels[d] = levels[d - 1] + step(d) + 0.01 * (mu - levels[d - 1])
            }
        }
        for d in stride(from: anchor - 1, through: 0, by: -1) {
            levels[d] = levels[d + 1] + step(d) + 0.01 * (mu - levels[d + 1])
        }
        return levels
    }

    public var nowMs: Int64 { clock() }
    public var nowMinute: Int64 { floorDiv(clock(), 60_000) }

    public func spec(_ instId: String) -> InstrumentSpec? { byId[instId].map { instruments[$0] } }

    /// Aggregate of minutes [m0, m1) (Unix minutes), clipped to the served history; nil when empty.
    public func aggregate(_ instId: String, minutes m0: Int64, _ m1: Int64, now: Int64? = nil) -> Agg? {
        guard let i = byId[instId] else { return nil }
        let lo = max(m0, firstMinute), hi = min(m1, floorDiv(now ?? clock(), 60_000) + 1)
        guard lo < hi else { return nil }
        return states[i].aggregate(lo, hi)
    }

    /// A candle: bucket start, aggregate, confirmed flag.
    public struct Candle: Sendable, Equatable {
        public let ts: Int64
        public let agg: Agg
        public let confirmed: Bool
    }

    /// Range of bucket indexes served for `bar`: first bucket holding history through the
    /// bucket holding now. `recentOnly` keeps the latest 1,440 (as /market/candles).
    public func indexRange(_ bar: Bar, recentOnly: Bool, now: Int64? = nil) -> ClosedRange<Int64> {
        let hi = bar.index(of: now ?? clock())
        var lo = bar.index(of: firstMinute * 60_000)
        if recentOnly { lo = max(lo, hi - 1439) }
        return lo...max(lo, hi)
    }

    /// The candle of bucket `idx`, or nil when it holds no served minute.
    public func candle(_ instId: String, _ bar: Bar, index idx: Int64, now nowMs: Int64? = nil) -> Candle? {
        let now = nowMs ?? clock()
        let start = bar.start(ofIndex: idx), end = bar.start(ofIndex: idx + 1)
        guard let agg = aggregate(instId, minutes: floorDiv(start, 60_000), floorDiv(end, 60_000), now: now) else { return nil }
        return Candle(ts: start, agg: agg, confirmed: end <= now)
    }

    /// `candle` for a caller that holds `st.lock`.
    func candleLocked(_ st: InstrumentState, _ bar: Bar, index idx: Int64, now: Int64) -> Candle? {
        let start = bar.start(ofIndex: idx), end = bar.start(ofIndex: idx + 1)
        let lo = max(floorDiv(start, 60_000), firstMinute), hi = min(floorDiv(end, 60_000), floorDiv(now, 60_000) + 1)
        guard lo < hi else { return nil }
        return Candle(ts: start, agg: st.aggregateLocked(lo, hi), confirmed: end <= now)
    }

    /// A page as OKX serves it: newest first, `after` (older than, exclusive) and `before`
    /// (newer than, exclusive) cursors in Unix ms, at most `limit` rows.
    public func page(_ instId: String, _ bar: Bar, after: Int64?, before: Int64?, limit: Int, recentOnly: Bool) -> [Candle] {
        let now = clock()
        let range = indexRange(bar, recentOnly: recentOnly, now: now)
        var hi = range.upperBound, lo = range.lowerBound
        if let after { hi = min(hi, bar.index(of: after - 1)) }
        if let before { lo = max(lo, bar.index(of: before) + 1) }
        var out: [Candle] = []
        guard let st = byId[instId].map({ states[$0] }) else { return out }
        out.reserveCapacity(min(limit, 300))
        st.lock.lock()
        defer { st.lock.unlock() }
        var i = hi
        while i >= lo && out.count < limit {
            if let c = candleLocked(st, bar, index: i, now: now) { out.append(c) }
            i -= 1
        }
        return out
    }

    /// All candles with ts in [fromMs, toMs), oldest first.
    public func range(_ instId: String, _ bar: Bar, fromMs: Int64, toMs: Int64) -> [Candle] {
        let now = clock()
        let r = indexRange(bar, recentOnly: false, now: now)
        var lo = bar.index(of: fromMs)
        if bar.start(ofIndex: lo) < fromMs { lo += 1 }
        lo = max(lo, r.lowerBound)
        let hi = min(bar.index(of: toMs - 1), r.upperBound)
        var out: [Candle] = []
        if lo <= hi {
            out.reserveCapacity(Int(hi - lo + 1))
            guard let st = byId[instId].map({ states[$0] }) else { return out }
            st.lock.lock()
            defer { st.lock.unlock() }
            for i in lo...hi { if let c = candleLocked(st, bar, index: i, now: now) { out.append(c) } }
        }
        return out
    }
}

/// Per-instrument generator and caches (guarded by `lock`).
final class InstrumentState: @unchecked Sendable {
    let spec: InstrumentSpec
    let seed: UInt64
    let levels: [Double]
    /// Added to every level (instruments on a shared walk; 0 otherwise).
    let levelOffset: Double
    let tick: Double
    let lotUnit: Double
    let ctValUnits: Int64
    let quoteDivisor: Int64
    let maxCached: Int
    let lock = NSLock()
    var chunks: [Int64: DayChunk] = [:]
    /// Hourly aggregates (24 per UTC day) and the day's aggregate, kept for every generated day.
    var hours: [Int64: [Agg]] = [:]
    var useCounter: UInt64 = 0

    init(spec: InstrumentSpec, seed: UInt64, levels: [Double], levelOffset: Double = 0, maxCached: Int) {
        self.spec = spec
        self.seed = seed
        self.levels = levels
        self.levelOffset = levelOffset
        self.tick = pow(10, -Double(spec.tickScale))
        self.lotUnit = pow(10, -Double(spec.lotScale))
        self.ctValUnits = spec.ctValUnits
        let natural = spec.isSwap ? spec.quoteScale : spec.tickScale + spec.lotScale
        var d: Int64 = 1
        for _ in 0..<(natural - spec.quoteScale) { d *= 10 }
        self.quoteDivisor = d
        self.maxCached = max(4, maxCached)
    }

    func level(_ day: Int64) -> Double {
        let i = Int(min(max(day - Market.levelOrigin, 0), Int64(levels.count - 1)))
        return levels[i] + levelOffset
    }

    /// Generates UTC day `day` (days since 1970-01-01): a Brownian bridge between the day's
    /// and the next day's level plus per-minute noise, rounded to ticks.
    func generate(_ day: Int64) -> DayChunk {
        let chunk = DayChunk()
        var rng = SplitMix64(seed ^ stableHash("minute:" + spec.instId) &+ UInt64(bitPattern: day) &* 0xD1B5_4A32_D192_ED03)
        let sigma = 0.03 / 1440.0.squareRoot() * 1.3
        var w = [Double](repeating: 0, count: 1441)
        for i in 1...1440 { w[i] = w[i - 1] + sigma * rng.gauss() }
        let l0 = level(day), l1 = level(day + 1)
        let drift = (l1 - l0 - w[1440]) / 1440
        var boundary = [Int64](repeating: 0, count: 1441)
        for i in 0...1440 {
            let price = exp(l0 + w[i] + drift * Double(i))
            boundary[i] = max(1, Int64((price / tick).rounded()))
        }
        let baseLots = spec.isSwap
            ? spec.baseVolPerMinute / (lotUnit * Double(ctValUnits) * pow(10, -Double(spec.ctValScale)))
            : spec.baseVolPerMinute / lotUnit
        for i in 0..<1440 {
            let u = rng.unit(), wig1 = rng.unit(), wig2 = rng.unit(), vu = rng.unit()
            if u < spec.emptyMinuteProbability {
                let p = boundary[i]
                chunk.o[i] = p; chunk.h[i] = p; chunk.l[i] = p; chunk.c[i] = p
                continue
            }
            let o = boundary[i], c = boundary[i + 1]
            let range = Double(o) * sigma * 0.6
            chunk.o[i] = o
            chunk.c[i] = c
            chunk.h[i] = max(o, c) + Int64(wig1 * wig1 * range)
            chunk.l[i] = max(1, min(o, c) - Int64(wig2 * wig2 * range))
            let factor = 0.15 + 1.7 * vu + (vu > 0.97 ? 6 * (vu - 0.97) / 0.03 : 0)
            let lots = max(1, Int64(baseLots * factor))
            chunk.v[i] = lots
            let mid = (chunk.h[i] + chunk.l[i] + o + c) / 4
            if spec.isSwap {
                let baseUnits = lots * ctValUnits
                chunk.vc[i] = baseUnits
                chunk.q[i] = mid * baseUnits
            } else {
                let exact = mid * lots
                let q = (exact + quoteDivisor / 2) / quoteDivisor
                chunk.q[i] = q
                chunk.vc[i] = q
            }
        }
        var hs: [Agg] = []
        hs.reserveCapacity(25)
        for hr in 0..<24 {
            var a = chunk.minute(hr * 60)
            for m in (hr * 60 + 1)..<(hr * 60 + 60) { a.add(chunk.minute(m)) }
            hs.append(a)
        }
        var dayAgg = hs[0]
        for hr in 1..<24 { dayAgg.add(hs[hr]) }
        hs.append(dayAgg)
        hours[day] = hs
        return chunk
    }

    /// The minute chunk of `day` (caller holds `lock`), generated and cached on demand.
    func chunk(_ day: Int64) -> DayChunk {
        useCounter &+= 1
        if let c = chunks[day] { c.lastUse = useCounter; return c }
        if chunks.count >= maxCached {
            // Evict the least recently used quarter in one pass.
            let victims = chunks.sorted { $0.value.lastUse < $1.value.lastUse }.prefix(max(1, maxCached / 4))
            for (k, _) in victims { chunks.removeValue(forKey: k) }
        }
        let c = generate(day)
        c.lastUse = useCounter
        chunks[day] = c
        return c
    }

    func hourAggs(_ day: Int64) -> [Agg] {
        if let h = hours[day] { return h }
        _ = chunk(day)
        return hours[day]!
    }

    /// Aggregate of minutes [m0, m1), m0 < m1, using day and hour aggregates where whole.
    func aggregate(_ m0: Int64, _ m1: Int64) -> Agg {
        lock.lock()
        defer { lock.unlock() }
        return aggregateLocked(m0, m1)
    }

    /// `aggregate` for a caller that holds `lock`.
    func aggregateLocked(_ m0: Int64, _ m1: Int64) -> Agg {
        var acc: Agg? = nil
        var m = m0
        @inline(__always) func push(_ a: Agg) {
            if acc == nil { acc = a } else { acc!.add(a) }
        }
        while m < m1 {
            let day = floorDiv(m, 1440)
            let inDay = Int(m - day * 1440)
            if inDay == 0 && m + 1440 <= m1 {
                push(hourAggs(day)[24]); m += 1440
            } else if inDay % 60 == 0 && m + 60 <= m1 {
                let hs = hourAggs(day)
                var hr = inDay / 60
                while hr < 24 && m + 60 <= m1 { push(hs[hr]); hr += 1; m += 60 }
            } else {
                let c = chunk(day)
                let end = Int(min(m1 - day * 1440, Int64(inDay / 60 * 60 + 60)))
                for i in inDay..<end { push(c.minute(i)) }
                m += Int64(end - inDay)
            }
        }
        return acc!
    }
}
