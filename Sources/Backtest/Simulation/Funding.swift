/// One funding time inside a run, as the worker loads it from market.funding_rates.
public struct FundingEvent: Sendable, Equatable {
    /// OKX fundingTime, Unix ms.
    public var time: Int64
    /// The funding rate of the interval ending at `time` (0.0001 = 0.01%).
    public var rate: Double
    /// Mark price at `time` (the mark candle opening then), or nil to use the trade open of the
    /// bar that charges it.
    public var markPrice: Double?

    public init(time: Int64, rate: Double, markPrice: Double? = nil) {
        self.time = time; self.rate = rate; self.markPrice = markPrice
    }
}

/// One payment of an open position, a row of backtest.funding_payments.
public struct FundingPayment: Sendable, Equatable, Codable {
    public var time: Int64
    public var rate: Double
    public var markPrice: Double
    /// Contracts held, signed: positive long, negative short.
    public var contracts: Double
    /// Settlement currency; positive when the position paid, negative when it received.
    public var amount: Double

    public init(time: Int64, rate: Double, markPrice: Double, contracts: Double, amount: Double) {
        self.time = time; self.rate = rate; self.markPrice = markPrice; self.contracts = contracts; self.amount = amount
    }
}

/// Mark-price highs and lows aligned with the candles (same index); NaN where a bar has no
/// mark candle, where the trade candle's own high and low stand in.
public struct MarkPrices: Sendable, Equatable {
    public var high: [Double]
    public var low: [Double]
    public init(high: [Double], low: [Double]) { self.high = high; self.low = low }
}

/// The market data a contract run needs besides its candles.
public struct ContractMarket: Sendable, Equatable {
    /// Funding times in ascending order; empty when the payload says "funding": "ignore".
    public var funding: [FundingEvent]
    public var mark: MarkPrices?
    public init(funding: [FundingEvent] = [], mark: MarkPrices? = nil) { self.funding = funding; self.mark = mark }

    /// The market of `candles.slice(range)`: the mark columns of those bars and the funding events
    /// from the range's first bar to before the bar after the range (a run charges the events
    /// after its last bar's open to that bar; those from the next bar on belong to the next run).
    public func slice(_ range: Range<Int>, of candles: Candles) -> ContractMarket {
        let end = range.upperBound < candles.count ? candles.time[range.upperBound] : Int64.max
        let start = range.lowerBound < candles.count ? candles.time[range.lowerBound] : Int64.max
        return ContractMarket(funding: funding.filter { $0.time >= start && $0.time < end },
                              mark: mark.map { MarkPrices(high: Array($0.high[range]), low: Array($0.low[range])) })
    }
}

/// What a contract run adds to the metrics.
public struct ContractSummary: Sendable, Equatable {
    public var payments: [FundingPayment]
    /// Sum of the payments' amounts (settlement currency): positive when the run paid overall.
    public var fundingPaid: Double
    /// Trades that ended with exit reason liquidation.
    public var liquidations: Int
    /// Final equity in the quote currency (inverse: coin equity × last close; linear: equal to final equity).
    public var finalEquityQuote: Double

    public init(payments: [FundingPayment], fundingPaid: Double, liquidations: Int, finalEquityQuote: Double) {
        self.payments = payments; self.fundingPaid = fundingPaid
        self.liquidations = liquidations; self.finalEquityQuote = finalEquityQuote
    }
}
