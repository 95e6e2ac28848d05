// OKXError: every failure says what OKX answered, for which endpoint and parameters.

/// An error from the OKX client.
public indirect enum OKXError: Error, Sendable, Equatable, CustomStringConvertible {
    /// OKX answered with a non-zero `code` that is not retried (e.g. 51001, 51000, 50014).
    case api(endpoint: OKXEndpoint, code: String, msg: String, httpStatus: Int, params: [String: String])
    /// An HTTP failure whose body is not an OKX envelope (e.g. 404 with an HTML page).
    case http(endpoint: OKXEndpoint, status: Int, body: String, params: [String: String])
    /// The answer could not be trusted: invalid JSON, wrong shape, bad values. `row` is the index
    /// in `data` (nil for the envelope), `field` the field name (nil when the row as a whole is bad).
    case malformed(endpoint: OKXEndpoint, row: Int?, field: String?, reason: String)
    /// The request did not get an answer (timeout, connection refused or lost, DNS...).
    case transport(endpoint: OKXEndpoint, reason: String, retryable: Bool, params: [String: String])
    /// A retryable failure persisted past the retry budget; `last` is the final failure.
    case retriesExhausted(endpoint: OKXEndpoint, attempts: Int, elapsedMs: Int64, last: OKXError)
    /// A call argument OKX would refuse (e.g. limit > 300); nothing was sent.
    case invalidArgument(String)

    /// OKX's code when OKX answered with one (also inside `retriesExhausted`).
    public var code: String? {
        switch self {
        case .api(_, let code, _, _, _): return code
        case .retriesExhausted(_, _, _, let last): return last.code
        default: return nil
        }
    }

    /// True for OKX 51001: the instrument does not exist.
    public var isUnknownInstrument: Bool { code == "51001" }

    public var description: String {
        switch self {
        case let .api(endpoint, code, msg, status, params):
            var s = "OKX \(endpoint.rawValue) answered code \(code) (HTTP \(status)): \(msg)"
            if code == "51001", let inst = params["instId"] { s += " [instrument \(inst) does not exist]" }
            return s + OKXError.format(params)
        case let .http(endpoint, status, body, params):
            return "OKX \(endpoint.rawValue) answered HTTP \(status) without an OKX envelope: \(body)" + OKXError.format(params)
        case let .malformed(endpoint, row, field, reason):
            var s = "malformed OKX \(endpoint.rawValue) answer"
            if let row { s += " at row \(row)" }
            if let field { s += ", field \(field)" }
            return s + ": \(reason)"
        case let .transport(endpoint, reason, _, params):
            return "OKX \(endpoint.rawValue) request failed: \(reason)" + OKXError.format(params)
        case let .retriesExhausted(endpoint, attempts, elapsedMs, last):
            return "OKX \(endpoint.rawValue): retry budget exhausted after \(attempts) attempts in \(elapsedMs) ms; last failure: \(last)"
        case let .invalidArgument(s):
            return "invalid OKX request: \(s)"
        }
    }

    static func format(_ params: [String: String]) -> String {
        if params.isEmpty { return "" }
        return " (params: " + params.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ") + ")"
    }
}
