/// Fill prices, fees and position sizing.
///
/// - Signals on bar t's close fill at bar t+1's open.
/// - Slippage moves every fill against the trader: buys at `price × (1 + bps/10⁴)`,
///   sells at `price × (1 - bps/10⁴)`.
/// - Fees: `feeRate × |quantity| × fillPrice` on every fill, entry and exit.
/// - Sizing is all in: the largest quantity, rounded down to `lotSize`, whose notional
///   plus entry fee fits in the cash: `q × price × (1 + feeRate) <= cash`.
struct FillModel: Sendable {
    let feeRate: Double
    let slip: Double
    let lotSize: Double

    init(_ s: RunSettings) {
        feeRate = s.feeRate
        slip = s.slippageBps / 10_000
        lotSize = s.lotSize
    }

    /// Fill price of a buy at reference price `p`.
    @inline(__always) func buyPrice(_ p: Double) -> Double { p * (1 + slip) }
    /// Fill price of a sell at reference price `p`.
    @inline(__always) func sellPrice(_ p: Double) -> Double { p * (1 - slip) }

    /// Largest quantity, a multiple of the lot size, with `q × price × (1 + fee) <= cash`.
    func quantity(cash: Double, price: Double) -> Double {
        guard cash > 0, price > 0 else { return 0 }
        let unit = price * (1 + feeRate)
        let raw = cash / unit
        guard lotSize > 0 else { return raw }
        // The small epsilon absorbs binary rounding (10 / 1e-8 is 999999999.99...); the
        // check after it keeps the result affordable.
        var k = (raw / lotSize + 1e-7).rounded(.down)
        if k * lotSize * unit > cash * (1 + 1e-12) { k -= 1 }
        return max(0, k * lotSize)
    }
}
