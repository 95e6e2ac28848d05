// One subscription of OKX's WebSocket v5: a channel and an instrument ("candle1m", "BTC-USDT").
import OKX

/// A channel argument: `{"channel":"candle1m","instId":"BTC-USDT"}`.
public struct StreamArg: Hashable, Sendable, CustomStringConvertible {
    public let channel: String
    public let instId: String
    public init(channel: String, instId: String) { self.channel = channel; self.instId = instId }

    /// The candle channel of a series (business socket): `candle` + OKX's bar name.
    public static func candles(instId: String, bar: Bar) -> StreamArg {
        StreamArg(channel: "candle" + bar.rawValue, instId: instId)
    }

    /// The bar of a candle channel, nil for any other channel.
    public var candleBar: Bar? {
        guard channel.hasPrefix("candle") else { return nil }
        return Bar(rawValue: String(channel.dropFirst(6)))
    }

    /// The argument as JSON (the ids are OKX identifiers; escaped all the same).
    public var json: String {
        #"{"channel":"# + StreamJSON.quoted(channel) + #","instId":"# + StreamJSON.quoted(instId) + "}"
    }

    public var description: String { channel + ":" + instId }
}

enum StreamJSON {
    /// `s` as a JSON string literal.
    static func quoted(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case _ where u.value < 0x20: out += "\\u" + String(repeating: "0", count: 4 - String(u.value, radix: 16).count) + String(u.value, radix: 16)
            default: out.unicodeScalars.append(u)
            }
        }
        return out + "\""
    }
}
