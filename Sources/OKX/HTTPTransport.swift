// HTTPTransport: the one thing the client needs from HTTP, so tests can inject canned answers.

import Foundation
import Guarded
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// An HTTP answer: status and body.
public struct HTTPResponse: Sendable {
    public var status: Int
    public var body: Data

    public init(status: Int, body: Data) {
        self.status = status
        self.body = body
    }

    public init(status: Int, body: String) {
        self.init(status: status, body: Data(body.utf8))
    }
}

/// Failures below HTTP. `timeout` and `connection` are retried; `other` is not.
public enum HTTPTransportError: Error, Sendable, Equatable {
    case timeout
    case connection(String)
    case other(String)

    public var isRetryable: Bool {
        switch self {
        case .timeout, .connection: return true
        case .other: return false
        }
    }
}

/// Sends a GET and returns the answer, whatever its status. Throws `HTTPTransportError`
/// (or `CancellationError`) when no answer came.
public protocol HTTPTransport: Sendable {
    func get(_ url: URL, timeoutMs: Int64) async throws -> HTTPResponse
}

/// The default transport: Foundation's URLSession (libcurl on Linux).
public final class URLSessionTransport: HTTPTransport, @unchecked Sendable {
    private let session: URLSession

    public init(session: URLSession = URLSession(configuration: .ephemeral)) {
        self.session = session
    }

    public func get(_ url: URL, timeoutMs: Int64) async throws -> HTTPResponse {
        var request = URLRequest(url: url)
        request.httpMethod = "GET"
        request.timeoutInterval = Double(timeoutMs) / 1000
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        let box = TaskBox()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<HTTPResponse, Error>) in
                let task = session.dataTask(with: request) { data, response, error in
                    if let error {
                        continuation.resume(throwing: URLSessionTransport.map(error))
                        return
                    }
                    guard let http = response as? HTTPURLResponse else {
                        continuation.resume(throwing: HTTPTransportError.connection("no HTTP response"))
                        return
                    }
                    let body = data ?? Data()
                    if let cut = URLSessionTransport.cutShort(status: http.statusCode, body: body,
                                                              expectedLength: http.expectedContentLength) {
                        continuation.resume(throwing: cut)
                        return
                    }
                    continuation.resume(returning: HTTPResponse(status: http.statusCode, body: body))
                }
                box.set(task)
                task.resume()
            }
        } onCancel: {
            box.cancel()
        }
    }

    /// A body that ended before its end: fewer bytes than Content-Length, or a successful answer
    /// whose JSON stops inside a string, array or object (the connection was closed mid-answer).
    /// Such an answer is a connection failure, retried like a 5xx, not a malformed answer.
    static func cutShort(status: Int, body: Data, expectedLength: Int64) -> HTTPTransportError? {
        if expectedLength > 0 && Int64(body.count) < expectedLength {
            return .connection("body cut short: \(body.count) of \(expectedLength) bytes")
        }
        if (200...299).contains(status) && OKXRetryPolicy.isTruncatedJSON(body) {
            return .connection("body cut short: its JSON stops after \(body.count) bytes")
        }
        return nil
    }

    static func map(_ error: Error) -> Error {
        guard let e = error as? URLError else { return HTTPTransportError.other(String(describing: error)) }
        switch e.code {
        case .cancelled:
            return CancellationError()
        case .timedOut:
            return HTTPTransportError.timeout
        case .cannotConnectToHost, .networkConnectionLost, .notConnectedToInternet, .cannotFindHost,
             .dnsLookupFailed, .secureConnectionFailed, .cannotLoadFromNetwork, .badServerResponse,
             .resourceUnavailable, .zeroByteResource, .cannotParseResponse:
            return HTTPTransportError.connection("\(e.code.rawValue): \(e.localizedDescription)")
        case .unknown:
            // Foundation on Linux reports libcurl failures it has no code for as -1, among them a
            // connection closed mid-answer ("transfer closed with N bytes remaining to read",
            // CURLE_PARTIAL_FILE) and a failed receive: below HTTP, worth another request.
            return HTTPTransportError.connection("\(e.code.rawValue): \(e.localizedDescription)")
        default:
            return HTTPTransportError.other("\(e.code.rawValue): \(e.localizedDescription)")
        }
    }

    /// The task of one request, so a cancelled Swift task can cancel it (before or after it exists).
    private final class TaskBox: Sendable {
        private struct State: @unchecked Sendable { var task: URLSessionDataTask?; var cancelled = false }
        private let state = Guarded(State())

        func set(_ t: URLSessionDataTask) {
            let cancelled = state.withLock { s -> Bool in s.task = t; return s.cancelled }
            if cancelled { t.cancel() }
        }

        func cancel() {
            let task = state.withLock { s -> State in s.cancelled = true; return s }.task
            task?.cancel()
        }
    }
}
