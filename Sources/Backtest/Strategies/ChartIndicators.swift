/// The indicator series a strategy's rules read, named for a chart: the lines drawn over the
/// candles (`price`) or in a pane of their own (`oscillator`). They are the very series
/// `Signal.compute` takes from the `IndicatorCache` (same keys, same code), so the chart shows
/// what the engine saw.
public struct ChartIndicator: Sendable, Equatable {
    public enum Pane: String, Sendable { case price, oscillator }
    /// Label, e.g. "SMA 10" or "Bollinger upper (20, 2)".
    public var name: String
    public var key: IndicatorKey
    public var pane: Pane
    /// Horizontal reference levels of an oscillator pane (the RSI's lower and upper, MACD's 0).
    public var levels: [Double]
}

extension StrategySpec {
    /// The series the engine's rules read (see `Signal.compute`); none for `buy_hold`.
    public var chartIndicators: [ChartIndicator] {
        func line(_ name: String, _ key: IndicatorKey, _ pane: ChartIndicator.Pane = .price, _ levels: [Double] = []) -> ChartIndicator {
            ChartIndicator(name: name, key: key, pane: pane, levels: levels)
        }
        switch engine {
        case .buyHold: return []
        case .smaCross: return [line("SMA \(int("fast"))", .sma(int("fast"))), line("SMA \(int("slow"))", .sma(int("slow")))]
        case .emaCross: return [line("EMA \(int("fast"))", .ema(int("fast"))), line("EMA \(int("slow"))", .ema(int("slow")))]
        case .macdCross:
            let f = int("fast"), s = int("slow"), g = int("signal")
            return [line("MACD (\(f), \(s))", .macdLine(f, s), .oscillator, [0]),
                    line("MACD signal (\(g))", .macdSignal(f, s, g), .oscillator, [0])]
        case .rsiReversion:
            return [line("RSI \(int("period"))", .rsi(int("period")), .oscillator, [params["lower"]!, params["upper"]!])]
        case .bollingerBreakout:
            let p = int("period"), k = params["k"]!
            return [line("Bollinger upper (\(p), \(k))", .bollingerUpper(p, k)), line("SMA \(p)", .sma(p)),
                    line("Bollinger lower (\(p), \(k))", .bollingerLower(p, k))]
        case .donchianBreakout:
            let e = int("entry"), x = int("exit")
            var out = [line("Donchian upper \(e)", .donchianUpper(e)), line("Donchian lower \(e)", .donchianLower(e))]
            if x != e { out += [line("Donchian upper \(x)", .donchianUpper(x)), line("Donchian lower \(x)", .donchianLower(x))] }
            return out
        }
    }
}
