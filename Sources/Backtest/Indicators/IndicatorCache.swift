import Foundation

/// Identifies one indicator series by kind and parameters.
public enum IndicatorKey: Hashable, Sendable {
    case sma(Int)
    case ema(Int)
    case rsi(Int)
    case bollingerUpper(Int, Double)
    case bollingerLower(Int, Double)
    case macdLine(Int, Int)
    case macdSignal(Int, Int, Int)
    case donchianUpper(Int)
    case donchianLower(Int)
    case atr(Int)
}

/// Indicator series of one `Candles`, each computed once and shared by every run that
/// asks for it (a grid shares one cache across its worker threads). Thread-safe.
///
/// Memory is bounded: when the series held exceed `maxBytes`, the oldest are dropped
/// (a run already holding one keeps its copy; a later request recomputes it).
public final class IndicatorCache: @unchecked Sendable {
    /// The candles the series are computed from.
    public let candles: Candles
    /// Bound on the bytes of series held.
    public let maxBytes: Int
    private var store: [IndicatorKey: [Double]] = [:]
    private var order: [IndicatorKey] = []
    private var bytes = 0
    private let lock = NSLock()

    /// A cache for `candles`, holding at most `maxBytes` of series (default 1 GiB).
    public init(candles: Candles, maxBytes: Int = 1 << 30) {
        self.candles = candles
        self.maxBytes = maxBytes
    }

    /// Number of series held.
    public var count: Int { lock.lock(); defer { lock.unlock() }; return store.count }

    /// The series for `key`, computing and storing it on first use.
    public func series(_ key: IndicatorKey) -> [Double] {
        lock.lock()
        if let s = store[key] { lock.unlock(); return s }
        lock.unlock()
        let s = compute(key)
        lock.lock()
        defer { lock.unlock() }
        if let existing = store[key] { return existing }
        store[key] = s
        order.append(key)
        bytes += s.count * MemoryLayout<Double>.stride
        while bytes > maxBytes && order.count > 1 {
            let old = order.removeFirst()
            if let v = store.removeValue(forKey: old) { bytes -= v.count * MemoryLayout<Double>.stride }
        }
        return s
    }

    private func compute(_ key: IndicatorKey) -> [Double] {
        let c = candles
        switch key {
        case let .sma(p): return Indicators.sma(c.close, period: p)
        case let .ema(p): return Indicators.ema(c.close, period: p)
        case let .rsi(p): return Indicators.rsi(c.close, period: p)
        case let .bollingerUpper(p, k): return Indicators.bollinger(c.close, period: p, k: k).upper
        case let .bollingerLower(p, k): return Indicators.bollinger(c.close, period: p, k: k).lower
        case let .macdLine(f, s): return Indicators.macd(c.close, fast: f, slow: s, signal: 1).macd
        case let .macdSignal(f, s, g): return Indicators.ema(series(.macdLine(f, s)), period: g)
        case let .donchianUpper(p): return Indicators.rollingExtreme(c.high, period: p, max: true)
        case let .donchianLower(p): return Indicators.rollingExtreme(c.low, period: p, max: false)
        case let .atr(p): return Indicators.atr(high: c.high, low: c.low, close: c.close, period: p)
        }
    }
}
