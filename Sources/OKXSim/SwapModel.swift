// SwapModel: okx-sim's perpetual-swap prices: a small moving basis of the mark and the index
// around the last (trade) price, and funding rates derived from their premium, clamped like OKX's.
// Pure functions of time and instrument, so every answer is reproducible.

import Foundation

public enum SwapModel {
    /// Funding interval of a simulated swap in hours: 4 h for ETH-USDT-SWAP (OKX moves instruments
    /// between intervals), 8 h for every other swap.
    public static func fundingIntervalHours(_ instId: String) -> Int64 {
        instId == "ETH-USDT-SWAP" ? 4 : 8
    }

    public static func fundingIntervalMs(_ instId: String) -> Int64 { fundingIntervalHours(instId) * 3_600_000 }

    /// How far back /public/funding-rate-history serves (OKX: about three months).
    public static let fundingHistoryMs: Int64 = 92 * 86_400_000

    /// Interest component per 8 h (OKX: 0.01% per 8 h, scaled to the interval).
    public static let interestPer8h = 0.0001
    /// OKX's inner clamp of (interest - premium): +-0.05%.
    public static let innerClamp = 0.0005
    /// The simulated cap and floor of the rate per interval (OKX publishes one per instrument).
    public static let cap = 0.00375

    static func phase(_ instId: String, _ k: UInt64) -> Double {
        Double((stableHash(instId) &+ k &* 0x9E37_79B9_7F4A_7C15) % 10_000) / 10_000 * 2 * Double.pi
    }

    /// Mark price / last price - 1 at `ms`: a few basis points moving over hours, and a slow swing
    /// of up to 0.12% over days (the market's sentiment), so funding rates move.
    public static func markBasis(_ instId: String, _ ms: Int64) -> Double {
        let h = Double(ms) / 3_600_000
        return 0.0004 * sin(2 * Double.pi * h / 5 + phase(instId, 1))
             + 0.0012 * sin(2 * Double.pi * h / 216 + phase(instId, 2))
    }

    /// Index / last price - 1 at `ms` (the index of the swap's underlying): a few basis points.
    public static func indexBasis(_ instId: String, _ ms: Int64) -> Double {
        let h = Double(ms) / 3_600_000
        return -0.0003 * sin(2 * Double.pi * h / 11 + phase(instId, 3))
    }

    /// Premium of the mark over the index at `ms`.
    public static func premium(_ instId: String, _ ms: Int64) -> Double {
        (1 + markBasis(instId, ms)) / (1 + indexBasis(instId, ms)) - 1
    }

    /// OKX's formula: clamp(avg premium + clamp(interest - avg premium, -0.05%, 0.05%), floor, cap).
    public static func clampedRate(averagePremium p: Double, interest: Double, cap: Double = SwapModel.cap) -> Double {
        let inner = min(max(interest - p, -innerClamp), innerClamp)
        return min(max(p + inner, -cap), cap)
    }

    /// The funding rate settled at `fundingTime`: from the premium averaged over the interval
    /// [fundingTime - interval, min(fundingTime, upTo)) sampled every 5 minutes.
    public static func rate(_ instId: String, fundingTime: Int64, upTo: Int64? = nil) -> Double {
        let length = fundingIntervalMs(instId)
        let from = fundingTime - length
        let to = max(from + 300_000, min(fundingTime, upTo ?? fundingTime))
        var sum = 0.0, n = 0.0
        var t = from
        while t < to { sum += premium(instId, t); n += 1; t += 300_000 }
        let interest = interestPer8h * Double(length) / Double(8 * 3_600_000)
        return clampedRate(averagePremium: sum / max(n, 1), interest: interest)
    }

    /// A rate as OKX writes it: a plain decimal with 16 fractional digits, "-" when negative.
    public static func format(_ rate: Double) -> String {
        let units = Int64((abs(rate) * 1e16).rounded())
        if units == 0 { return "0" }
        var frac = String(units % 10_000_000_000_000_000)
        frac = String(repeating: "0", count: max(0, 16 - frac.count)) + frac
        return (rate < 0 ? "-" : "") + String(units / 10_000_000_000_000_000) + "." + frac
    }

    /// A price in ticks moved by `basis`, rounded to the tick (monotonic, so a candle's
    /// high/low order is kept).
    static func moved(_ ticks: Int64, _ basis: Double) -> Int64 {
        max(1, Int64((Double(ticks) * (1 + basis)).rounded()))
    }
}
