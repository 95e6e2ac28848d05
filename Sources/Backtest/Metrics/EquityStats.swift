/// Streaming statistics of a close-marked equity series: running peak, drawdown and its
/// duration, and daily returns (equity at the last bar of each UTC day). Fed one bar at a
/// time by the simulator, so a grid never keeps whole equity curves.
struct EquityStats: Sendable {
    static let dayMs: Int64 = 86_400_000

    let capital: Double
    private(set) var bars = 0
    private(set) var firstTime: Int64 = 0
    private(set) var lastTime: Int64 = 0
    private(set) var minGapMs: Int64 = .max
    private(set) var lastEquity: Double
    // Drawdown.
    private var peak: Double
    private var peakTime: Int64 = 0
    private var inDrawdown = false
    /// Equity below which the drawdown beats the current maximum: peak × (1 - maxDD/100).
    private var ddFloor: Double
    private(set) var maxDrawdownPct = 0.0
    private(set) var maxDrawdownDurationMs: Int64 = 0
    // Daily returns (Welford running mean and variance).
    private var nextDayStart: Int64 = .max  // open time of the next UTC day
    private var prevDailyEquity: Double
    private(set) var days = 0
    private(set) var meanReturn = 0.0
    private var m2 = 0.0
    private var downsideSq = 0.0
    private var finished = false

    init(capital: Double) {
        self.capital = capital
        self.lastEquity = capital
        self.peak = capital
        self.ddFloor = capital
        self.prevDailyEquity = capital
    }

    /// Adds the equity marked at the close of the bar opening at `time`.
    @inline(__always)
    mutating func add(time: Int64, equity: Double) {
        if bars == 0 {
            firstTime = time
            peakTime = time
            nextDayStart = (Self.day(time) + 1) * Self.dayMs
        } else {
            let gap = time - lastTime
            if gap < minGapMs { minGapMs = gap }
            if time >= nextDayStart {
                closeDay()
                nextDayStart = (Self.day(time) + 1) * Self.dayMs
            }
        }
        bars += 1
        lastTime = time
        lastEquity = equity
        if equity >= peak {
            if inDrawdown {
                let dur = time - peakTime
                if dur > maxDrawdownDurationMs { maxDrawdownDurationMs = dur }
                inDrawdown = false
            }
            peak = equity
            peakTime = time
            ddFloor = peak * (1 - maxDrawdownPct / 100)
        } else {
            inDrawdown = true
            if equity < ddFloor {
                maxDrawdownPct = (peak - equity) / peak * 100
                ddFloor = equity
            }
        }
    }

    /// Closes the last day and an unrecovered drawdown. Call once after the last bar.
    mutating func finish() {
        guard !finished, bars > 0 else { return }
        finished = true
        closeDay()
        if inDrawdown {
            let dur = lastTime - peakTime
            if dur > maxDrawdownDurationMs { maxDrawdownDurationMs = dur }
        }
    }

    private mutating func closeDay() {
        let r = lastEquity / prevDailyEquity - 1
        prevDailyEquity = lastEquity
        days += 1
        let delta = r - meanReturn
        meanReturn += delta / Double(days)
        m2 += delta * (r - meanReturn)
        if r < 0 { downsideSq += r * r }
    }

    @inline(__always) static func day(_ t: Int64) -> Int64 {
        t >= 0 ? t / dayMs : (t - dayMs + 1) / dayMs
    }

    /// Sample standard deviation of daily returns (n - 1), nil under two days.
    var dailyStdDev: Double? { days >= 2 ? (m2 / Double(days - 1)).squareRoot() : nil }
    /// Downside deviation: sqrt(sum(min(r, 0)²) / n), nil without days.
    var downsideDeviation: Double? { days >= 1 ? (downsideSq / Double(days)).squareRoot() : nil }
    /// Time covered: last open - first open + one bar (the smallest gap seen).
    var spanMs: Int64 { bars == 0 ? 0 : lastTime - firstTime + (minGapMs == .max ? 0 : minGapMs) }
}
