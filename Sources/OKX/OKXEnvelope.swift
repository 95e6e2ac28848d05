// OKXEnvelope: `{"code":"0","msg":"","data":[...]}` in any key order; error bodies may lack
// `data`. Decisions are made on `code`, never on `msg`.

import Foundation

struct OKXEnvelope {
    let code: String
    let msg: String
    /// The `data` array (nil when absent or null).
    let data: [Any]?

    static func parse(_ body: Data, endpoint: OKXEndpoint) throws -> OKXEnvelope {
        if body.isEmpty {
            throw OKXError.malformed(endpoint: endpoint, row: nil, field: nil, reason: "empty body")
        }
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: body, options: [])
        } catch {
            throw OKXError.malformed(endpoint: endpoint, row: nil, field: nil,
                                     reason: "invalid or truncated JSON (\(body.count) bytes): \(OKXEnvelope.prefix(body))")
        }
        guard let top = object as? [String: Any] else {
            throw OKXError.malformed(endpoint: endpoint, row: nil, field: nil, reason: "top level is not a JSON object")
        }
        guard let rawCode = top["code"] else {
            throw OKXError.malformed(endpoint: endpoint, row: nil, field: "code", reason: "missing")
        }
        guard let code = rawCode as? String, !code.isEmpty else {
            throw OKXError.malformed(endpoint: endpoint, row: nil, field: "code", reason: "not a non-empty string")
        }
        let msg = (top["msg"] as? String) ?? ""
        var data: [Any]? = nil
        if let rawData = top["data"], !(rawData is NSNull) {
            guard let array = rawData as? [Any] else {
                throw OKXError.malformed(endpoint: endpoint, row: nil, field: "data", reason: "not an array")
            }
            data = array
        }
        return OKXEnvelope(code: code, msg: msg, data: data)
    }

    /// The first bytes of a body, for error messages.
    static func prefix(_ body: Data, max: Int = 200) -> String {
        let s = String(decoding: body.prefix(max), as: UTF8.self)
        return body.count > max ? s + "..." : s
    }
}
