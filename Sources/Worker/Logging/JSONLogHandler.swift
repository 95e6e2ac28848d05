import Foundation
import Logging

/// swift-log handler that writes one JSON object per line to stderr:
/// `{"ts":"…","level":"info","msg":"job succeeded","job.id":"42",…}`.
/// Values that look like passwords in connection strings are redacted.
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level
    public let label: String
    private static let lock = NSLock()

    public init(label: String, level: Logger.Level = .info) {
        self.label = label
        self.logLevel = level
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        write(level: event.level, message: event.message, metadata: event.metadata)
    }

    private func write(level: Logger.Level, message: Logger.Message, metadata explicit: Logger.Metadata?) {
        var fields: [(String, String)] = [
            ("ts", Self.timestamp()), ("level", level.rawValue), ("msg", message.description), ("logger", label),
        ]
        var merged = metadata
        if let explicit { merged.merge(explicit) { $1 } }
        for (key, value) in merged.sorted(by: { $0.key < $1.key }) {
            fields.append((key, Self.redact(Self.flatten(value))))
        }
        var out = "{"
        for (i, (key, value)) in fields.enumerated() {
            if i > 0 { out += "," }
            out += Self.quote(key) + ":" + Self.quote(value)
        }
        out += "}\n"
        Self.lock.withLock { FileHandle.standardError.write(Data(out.utf8)) }
    }

    static func flatten(_ value: Logger.Metadata.Value) -> String {
        switch value {
        case .string(let s): return s
        case .stringConvertible(let c): return c.description
        case .array(let a): return "[" + a.map(flatten).joined(separator: ",") + "]"
        case .dictionary(let d): return "{" + d.sorted { $0.key < $1.key }.map { "\($0.key)=\(flatten($0.value))" }.joined(separator: ",") + "}"
        }
    }

    /// Removes `password=…` and `user:password@` forms from a logged value.
    static func redact(_ text: String) -> String {
        guard text.contains("password") || text.contains("://") else { return text }
        var out = text
        if let regex = try? NSRegularExpression(pattern: "(://[^:/@\\s]*):[^@\\s]*@") {
            out = regex.stringByReplacingMatches(in: out, range: NSRange(out.startIndex..., in: out), withTemplate: "$1:***@")
        }
        if let regex = try? NSRegularExpression(pattern: "(password\\s*=\\s*)('[^']*'|[^\\s&]+)", options: [.caseInsensitive]) {
            out = regex.stringByReplacingMatches(in: out, range: NSRange(out.startIndex..., in: out), withTemplate: "$1***")
        }
        return out
    }

    static func quote(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 { out += String(format: "\\u%04x", scalar.value) } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out + "\""
    }

    static func timestamp() -> String {
        var tv = timeval()
        gettimeofday(&tv, nil)
        var t = time_t(tv.tv_sec)
        var parts = tm()
        gmtime_r(&t, &parts)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday,
                      parts.tm_hour, parts.tm_min, parts.tm_sec, Int(tv.tv_usec / 1000))
    }
}
