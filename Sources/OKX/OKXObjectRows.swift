// Helpers for `data` arrays of JSON objects (instruments, tickers): string fields with "" as
// nil, unknown keys ignored, the raw JSON of each object kept as OKX sent it.

import Foundation

struct OKXObjectRow {
    let index: Int
    let object: [String: Any]
    let raw: String
    let endpoint: OKXEndpoint

    /// A known string field: missing, null or "" -> nil; any other non-string -> malformed.
    func optionalString(_ key: String) throws -> String? {
        guard let value = object[key], !(value is NSNull) else { return nil }
        guard let s = value as? String else {
            throw OKXError.malformed(endpoint: endpoint, row: index, field: key, reason: "not a string: \(value)")
        }
        return s.isEmpty ? nil : s
    }

    /// A required, non-empty string field.
    func requiredString(_ key: String) throws -> String {
        guard let s = try optionalString(key) else {
            throw OKXError.malformed(endpoint: endpoint, row: index, field: key, reason: "missing or empty")
        }
        return s
    }

    /// An optional unsigned decimal field ("" -> nil), validated.
    func optionalDecimal(_ key: String) throws -> String? {
        guard let s = try optionalString(key) else { return nil }
        if let p = OKXDecimal.problem(s) {
            throw OKXError.malformed(endpoint: endpoint, row: index, field: key, reason: p)
        }
        return s
    }

    /// An optional Unix-ms timestamp field ("" -> nil), validated, kept as a string.
    func optionalMs(_ key: String) throws -> String? {
        guard let s = try optionalString(key) else { return nil }
        guard OKXDecimal.parseMs(s) != nil else {
            throw OKXError.malformed(endpoint: endpoint, row: index, field: key, reason: "not a Unix millisecond timestamp: \"\(s)\"")
        }
        return s
    }

    static func rows(_ data: [Any], body: Data, endpoint: OKXEndpoint) throws -> [OKXObjectRow] {
        let spans = JSONSpans.dataElements(body)
        let useSpans = spans?.count == data.count
        var out: [OKXObjectRow] = []
        out.reserveCapacity(data.count)
        for (index, element) in data.enumerated() {
            guard let object = element as? [String: Any] else {
                throw OKXError.malformed(endpoint: endpoint, row: index, field: nil, reason: "row is not a JSON object")
            }
            let raw: String
            if useSpans, let span = spans?[index] {
                raw = String(decoding: body[(body.startIndex + span.lowerBound)..<(body.startIndex + span.upperBound)], as: UTF8.self)
            } else {
                let bytes = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
                raw = String(decoding: bytes, as: UTF8.self)
            }
            out.append(OKXObjectRow(index: index, object: object, raw: raw, endpoint: endpoint))
        }
        return out
    }
}
