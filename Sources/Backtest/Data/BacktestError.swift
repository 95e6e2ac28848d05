/// Errors thrown by the engine. Messages name the field and what is allowed.
public enum BacktestError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A strategy or optimizer parameter is missing, unknown or out of range.
    case invalidParameter(name: String, message: String)
    /// A run setting (fee, slippage, capital, lot size) is out of range.
    case invalidSetting(name: String, message: String)
    /// Candle columns are inconsistent.
    case invalidCandles(String)
    /// Not enough candles for what was asked.
    case notEnoughData(String)
    /// The caller's cancellation check returned true.
    case cancelled

    public var description: String {
        switch self {
        case let .invalidParameter(name, message): return "parameter \"\(name)\": \(message)"
        case let .invalidSetting(name, message): return "setting \"\(name)\": \(message)"
        case let .invalidCandles(m): return "candles: \(m)"
        case let .notEnoughData(m): return "not enough data: \(m)"
        case .cancelled: return "cancelled"
        }
    }
}
