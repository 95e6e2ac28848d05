/// Per-bar signal flags, evaluated on a bar's close (they fill at the next bar's open).
///
/// A bar can carry several flags; the simulator reads them against the position held at
/// that close (see `Simulator`): long + `exitLong` -> flat (or short when `enterShort` is
/// also set and shorts are allowed); short + `exitShort` -> flat (or long with `enterLong`);
/// flat + `enterLong` -> long; flat + `enterShort` -> short when allowed.
public enum Signal {
    public static let enterLong: UInt8 = 1
    public static let exitLong: UInt8 = 2
    public static let enterShort: UInt8 = 4
    public static let exitShort: UInt8 = 8
    /// Bullish event of a symmetric strategy: open long, close short.
    public static let bullish: UInt8 = enterLong | exitShort
    /// Bearish event of a symmetric strategy: close long, open short.
    public static let bearish: UInt8 = exitLong | enterShort

    /// Computes the flags of every bar of the cache's candles for `spec`.
    ///
    /// Indicators come from (and are stored in) `cache`, so a grid computes each once.
    /// `startIndex` is the first traded bar: `buy_hold` signals on the bar before it (or bar 0).
    public static func compute(_ spec: StrategySpec, cache: IndicatorCache, startIndex: Int = 0) -> [UInt8] {
        let c = cache.candles
        switch spec.engine {
        case .buyHold:
            var s = [UInt8](repeating: 0, count: c.count)
            if !s.isEmpty { s[min(s.count - 1, max(0, startIndex - 1))] = enterLong }
            return s
        case .smaCross:
            return crosses(cache.series(.sma(spec.int("fast"))), cache.series(.sma(spec.int("slow"))))
        case .emaCross:
            return crosses(cache.series(.ema(spec.int("fast"))), cache.series(.ema(spec.int("slow"))))
        case .macdCross:
            let f = spec.int("fast"), s = spec.int("slow")
            return crosses(cache.series(.macdLine(f, s)), cache.series(.macdSignal(f, s, spec.int("signal"))))
        case .rsiReversion:
            return rsiReversion(cache.series(.rsi(spec.int("period"))),
                                lower: spec.params["lower"]!, upper: spec.params["upper"]!)
        case .bollingerBreakout:
            let p = spec.int("period"), k = spec.params["k"]!
            return bollingerBreakout(close: c.close, upper: cache.series(.bollingerUpper(p, k)),
                                     middle: cache.series(.sma(p)), lower: cache.series(.bollingerLower(p, k)))
        case .donchianBreakout:
            let e = spec.int("entry"), x = spec.int("exit")
            return donchianBreakout(close: c.close,
                                    entryUpper: cache.series(.donchianUpper(e)), entryLower: cache.series(.donchianLower(e)),
                                    exitUpper: cache.series(.donchianUpper(x)), exitLower: cache.series(.donchianLower(x)))
        }
    }

    /// Strict two-bar crossovers of `a` over `b`: `bullish` at t when a(t-1) < b(t-1) and
    /// a(t) > b(t); `bearish` when a(t-1) > b(t-1) and a(t) < b(t). Undefined values never cross.
    public static func crosses(_ a: [Double], _ b: [Double]) -> [UInt8] {
        let n = a.count
        var out = [UInt8](repeating: 0, count: n)
        guard n >= 2 else { return out }
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                out.withUnsafeMutableBufferPointer { o in
                    var pa = a[0], pb = b[0]
                    for t in 1..<n {
                        let ca = a[t], cb = b[t]
                        let up: UInt8 = (pa < pb && ca > cb) ? bullish : 0
                        let down: UInt8 = (pa > pb && ca < cb) ? bearish : 0
                        o[t] = up | down
                        pa = ca; pb = cb
                    }
                }
            }
        }
        return out
    }
}
