import Foundation

/// Where to connect: an explicit `--database-url`, else `DATABASE_URL`, else libpq's own defaults.
public enum ConnectionSettings {
    /// The conninfo/URL to hand to libpq, or nil to let libpq use PG* variables, service files
    /// and .pgpass exactly as psql does.
    public static func resolve(explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if let explicit, !explicit.isEmpty { return explicit }
        if let url = environment["DATABASE_URL"], !url.isEmpty { return url }
        return nil
    }

    /// A conninfo or URL with any password replaced by `***`, for logs and messages.
    public static func redact(_ conninfo: String) -> String {
        var text = conninfo
        // URL form: scheme://user:password@host
        if let schemeEnd = text.range(of: "://") {
            let rest = text[schemeEnd.upperBound...]
            if let at = rest.firstIndex(of: "@") {
                let userInfo = rest[rest.startIndex..<at]
                if let colon = userInfo.firstIndex(of: ":") {
                    text.replaceSubrange(text.index(after: colon)..<at, with: "***")
                }
            }
        }
        // key=value form and URL query parameters: password=...
        var out = ""
        var i = text.startIndex
        while i < text.endIndex {
            if text[i...].lowercased().hasPrefix("password") {
                var j = text.index(i, offsetBy: 8)
                while j < text.endIndex && text[j] == " " { j = text.index(after: j) }
                if j < text.endIndex && text[j] == "=" {
                    out += "password=***"
                    var k = text.index(after: j)
                    while k < text.endIndex && text[k] == " " { k = text.index(after: k) }
                    if k < text.endIndex && text[k] == "'" {
                        k = text.index(after: k)
                        while k < text.endIndex && text[k] != "'" {
                            if text[k] == "\\" { k = text.index(after: k); if k == text.endIndex { break } }
                            k = text.index(after: k)
                        }
                        if k < text.endIndex { k = text.index(after: k) }
                    } else {
                        while k < text.endIndex && text[k] != " " && text[k] != "&" { k = text.index(after: k) }
                    }
                    i = k
                    continue
                }
            }
            out.append(text[i])
            i = text.index(after: i)
        }
        return out
    }
}
