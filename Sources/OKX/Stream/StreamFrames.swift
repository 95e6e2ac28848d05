// The text frames of OKX's WebSocket v5: subscribe/unsubscribe requests (batched under OKX's
// 64 KB per request) and the server's messages (events, pushes, pong), decoded and validated.
import Foundation
import OKX

/// Something the server sent.
public enum StreamMessage: Sendable, Equatable {
    /// The answer to the text frame `ping`.
    case pong
    /// `{"event":"subscribe"|"unsubscribe","arg":{...}}`.
    case subscribed(StreamArg)
    case unsubscribed(StreamArg)
    /// `{"event":"error","code":"60012","msg":"..."}` (bad request, unknown channel or instrument).
    case error(code: String, msg: String)
    /// `{"event":"notice","code":"64008",...}`: the server will close the connection soon.
    case notice(code: String, msg: String)
    /// A candle push, every row validated as REST rows are.
    case candles(StreamArg, Bar, [Candle])
    /// A push that failed validation: nothing of it may be stored. `field` names the bad field.
    case badPush(arg: StreamArg?, field: String?, reason: String)
    /// Any other event or push (e.g. `channel-conn-count`), ignored by the stream.
    case other(String)
}

public enum StreamFrames {
    /// OKX: the args of one request stay under 64 KB.
    public static let maxRequestBytes = 64 * 1024

    /// Subscribe (or unsubscribe) requests for `args`, each request under `maxBytes` bytes.
    public static func requests(op: String, args: [StreamArg], maxBytes: Int = maxRequestBytes) -> [String] {
        let head = #"{"op":"# + StreamJSON.quoted(op) + #","args":["#
        let tail = "]}"
        var out: [String] = []
        var current = head
        var count = 0
        for a in args {
            let j = a.json
            if count > 0 && current.utf8.count + 1 + j.utf8.count + tail.utf8.count >= maxBytes {
                out.append(current + tail)
                current = head
                count = 0
            }
            if count > 0 { current += "," }
            current += j
            count += 1
        }
        if count > 0 { out.append(current + tail) }
        return out
    }

    /// Decodes one text frame.
    public static func decode(_ text: String) -> StreamMessage {
        if text == "pong" { return .pong }
        guard let obj = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] else {
            return .badPush(arg: nil, field: nil, reason: "not a JSON object: \(text.prefix(200))")
        }
        let arg = (obj["arg"] as? [String: Any]).flatMap { a -> StreamArg? in
            guard let c = a["channel"] as? String, let i = a["instId"] as? String else { return nil }
            return StreamArg(channel: c, instId: i)
        }
        if let event = obj["event"] as? String {
            let code = (obj["code"] as? String) ?? (obj["code"] as? NSNumber)?.stringValue ?? ""
            let msg = (obj["msg"] as? String) ?? ""
            switch event {
            case "subscribe": return arg.map { .subscribed($0) } ?? .other(text)
            case "unsubscribe": return arg.map { .unsubscribed($0) } ?? .other(text)
            case "error": return .error(code: code, msg: msg)
            case "notice": return .notice(code: code, msg: msg)
            default: return .other(text)
            }
        }
        guard let arg else { return .other(text) }
        guard let bar = arg.candleBar else { return .other(text) }
        guard let data = obj["data"] as? [Any] else {
            return .badPush(arg: arg, field: "data", reason: "push without a data array")
        }
        do {
            return .candles(arg, bar, try Candle.decodePushRows(data, bar: bar))
        } catch let OKXError.malformed(_, row, field, reason) {
            return .badPush(arg: arg, field: field, reason: (row.map { "row \($0): " } ?? "") + reason)
        } catch {
            return .badPush(arg: arg, field: nil, reason: "\(error)")
        }
    }
}
