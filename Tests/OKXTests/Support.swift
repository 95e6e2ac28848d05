// Test support: fixtures read from files beside this one, a stub transport, a virtual clock.

import Foundation
import Logging
@testable import OKX

enum Fixture {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func data(_ name: String) throws -> Data {
        try Data(contentsOf: directory.appendingPathComponent(name))
    }

    static func allJSONNames() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".json") }.sorted()
    }
}

/// A clock whose sleeps advance virtual time at once and are recorded.
final class VirtualClock: OKXClock, @unchecked Sendable {
    private let lock = NSLock()
    private var now: Int64
    private var sleepsMs: [Int64] = []

    init(startMs: Int64 = 0) { now = startMs }

    func nowMs() -> Int64 { lock.lock(); defer { lock.unlock() }; return now }

    func sleep(ms: Int64) async throws {
        try Task.checkCancellation()
        lock.withLock { now += max(ms, 0); sleepsMs.append(ms) }
    }

    func advance(_ ms: Int64) { lock.lock(); now += ms; lock.unlock() }

    var sleeps: [Int64] { lock.lock(); defer { lock.unlock() }; return sleepsMs }
}

/// Answers requests from a script, in order; the last entry repeats when the script runs out.
final class StubTransport: HTTPTransport, @unchecked Sendable {
    enum Step {
        case respond(Int, Data)
        case fail(HTTPTransportError)
    }

    private let lock = NSLock()
    private var steps: [Step]
    private var urls: [URL] = []
    /// Advanced by each request (simulated latency), when set.
    let clock: VirtualClock?
    let latencyMs: Int64

    init(_ steps: [Step], clock: VirtualClock? = nil, latencyMs: Int64 = 0) {
        self.steps = steps
        self.clock = clock
        self.latencyMs = latencyMs
    }

    static func body(_ status: Int, _ text: String) -> Step { .respond(status, Data(text.utf8)) }
    static func fixture(_ status: Int, _ name: String) throws -> Step { .respond(status, try Fixture.data(name)) }

    func get(_ url: URL, timeoutMs: Int64) async throws -> HTTPResponse {
        let step: Step = lock.withLock {
            urls.append(url)
            return steps.count > 1 ? steps.removeFirst() : steps[0]
        }
        clock?.advance(latencyMs)
        switch step {
        case let .respond(status, body): return HTTPResponse(status: status, body: body)
        case let .fail(error): throw error
        }
    }

    var requestedURLs: [URL] { lock.lock(); defer { lock.unlock() }; return urls }
}

func quietLogger() -> Logger {
    Logger(label: "okx-tests", factory: { _ in SwiftLogNoOpLogHandler() })
}

/// A client over a stub transport, a virtual clock, no rate limiting, jitter 0.
func makeClient(_ steps: [StubTransport.Step], retry: OKXRetryPolicy = OKXRetryPolicy(),
                clock: VirtualClock = VirtualClock(), latencyMs: Int64 = 0,
                baseURL: URL = OKXConfiguration.defaultBaseURL) -> (OKXClient, StubTransport, VirtualClock) {
    let transport = StubTransport(steps, clock: clock, latencyMs: latencyMs)
    let config = OKXConfiguration(baseURL: baseURL, requestTimeout: .seconds(5), retryPolicy: retry,
                                  rateLimiter: UnlimitedRateLimiter())
    let client = OKXClient(configuration: config, logger: quietLogger(), transport: transport, clock: clock,
                           random: { 0 })
    return (client, transport, clock)
}

/// Runs `body` and returns the OKXError it throws (nil when it does not throw one).
func okxError<T>(_ body: () async throws -> T) async -> OKXError? {
    do {
        _ = try await body()
        return nil
    } catch let e as OKXError {
        return e
    } catch {
        return nil
    }
}

/// Unix ms of an ISO 8601 UTC time like "2024-05-15T13:47:23Z", plus extra ms.
func ms(_ iso: String, plus extra: Int64 = 0) -> Int64 {
    let f = ISO8601DateFormatter()
    f.formatOptions = [.withInternetDateTime]
    guard let d = f.date(from: iso) else { fatalError("bad ISO date \(iso)") }
    return Int64((d.timeIntervalSince1970 * 1000).rounded()) + extra
}
