/// Side of a position.
public enum Side: String, Sendable, Codable {
    case long, short
}

/// Why a trade ended.
public enum ExitReason: String, Sendable, Codable {
    /// An opposite signal, filled at the next bar's open.
    case signal
    /// The stop-loss level was touched.
    case stop
    /// The take-profit level was touched.
    case take
    /// Still open at the last bar: marked at the last close, no exit fee, not a closed trade.
    case open
    /// Closed at the last close of a walk-forward test window that another window follows,
    /// with slippage and exit fee like any exit.
    case windowEnd = "window_end"
    /// A contract position whose mark price crossed its liquidation price (ContractTerms.liquidationPrice).
    case liquidation
}

/// One round trip (or the position still open at the end).
public struct Trade: Sendable, Equatable, Codable {
    /// 1-based sequence number in the run.
    public var n: Int
    public var side: Side
    /// Open time (Unix ms) of the bar whose open filled the entry.
    public var entryTime: Int64
    /// Entry fill price, slippage included.
    public var entryPrice: Double
    /// Open time of the bar in which the exit filled (the last bar for an open position).
    public var exitTime: Int64
    /// Exit fill price, slippage included (the last close for an open position).
    public var exitPrice: Double
    /// Quantity in base currency (positive for both sides).
    public var size: Double
    /// Profit in quote currency after entry and exit fees.
    public var pnl: Double
    /// `pnl / (size × entryPrice) × 100`.
    public var returnPct: Double
    /// Entry fee plus exit fee (entry fee only for an open position).
    public var fees: Double
    public var exitReason: ExitReason
    /// Candle index of the entry bar (within the candles given to the run).
    public var entryIndex: Int
    /// Candle index of the exit bar.
    public var exitIndex: Int

    public init(n: Int, side: Side, entryTime: Int64, entryPrice: Double, exitTime: Int64,
                exitPrice: Double, size: Double, pnl: Double, returnPct: Double, fees: Double,
                exitReason: ExitReason, entryIndex: Int, exitIndex: Int) {
        self.n = n; self.side = side; self.entryTime = entryTime; self.entryPrice = entryPrice
        self.exitTime = exitTime; self.exitPrice = exitPrice; self.size = size; self.pnl = pnl
        self.returnPct = returnPct; self.fees = fees; self.exitReason = exitReason
        self.entryIndex = entryIndex; self.exitIndex = exitIndex
    }
}
