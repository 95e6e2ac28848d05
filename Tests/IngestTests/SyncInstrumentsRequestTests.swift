// sync_instruments asks OKX for the job's instFamily (required for OPTION): the request URL, without a database.

import Foundation
import Guarded
import Logging
import OKX
import Testing
@testable import Worker

/// Answers every GET with one option instrument and records the URLs asked for.
private final class RecordingTransport: HTTPTransport, @unchecked Sendable {
    private let lock = NSLock()
    private var seen: [URL] = []
    var urls: [URL] { lock.withLock { seen } }

    func get(_ url: URL, timeoutMs: Int64) async throws -> HTTPResponse {
        lock.withLock { seen.append(url) }
        return HTTPResponse(status: 200, body: #"""
            {"code":"0","msg":"","data":[{"instType":"OPTION","instId":"BTC-USD-240628-60000-C","instFamily":"BTC-USD","uly":"BTC-USD","state":"live"}]}
            """#)
    }
}

@Suite("sync_instruments request")
struct SyncInstrumentsRequestTests {
    private func handler() -> (SyncInstrumentsHandler, RecordingTransport) {
        let transport = RecordingTransport()
        let okx = OKXClient(configuration: OKXConfiguration(baseURL: URL(string: "http://okx.test")!),
                            logger: Logger(label: "sync-instruments-request-tests"), transport: transport)
        return (SyncInstrumentsHandler(okx: okx), transport)
    }

    private func job(_ payload: String) -> Job {
        Job(id: 1, kind: "sync_instruments", payloadJSON: payload, attempt: 1, maxAttempts: 5, parentID: nil)
    }

    @Test("an OPTION job sends its inst_family as instFamily")
    func optionSendsInstFamily() async throws {
        let (handler, transport) = handler()
        let (request, instruments) = try await handler.fetch(job(#"{"inst_type":"OPTION","inst_family":"BTC-USD"}"#))
        #expect(request == .init(type: .option, family: "BTC-USD"))
        #expect(instruments.count == 1)
        #expect(transport.urls.map(\.absoluteString) == ["http://okx.test/api/v5/public/instruments?instType=OPTION&instFamily=BTC-USD"])
    }

    @Test("a SPOT job sends no instFamily")
    func spotSendsNone() async throws {
        let (handler, transport) = handler()
        _ = try await handler.fetch(job(#"{"inst_type":"SPOT"}"#))
        #expect(transport.urls.map(\.absoluteString) == ["http://okx.test/api/v5/public/instruments?instType=SPOT"])
    }

    @Test("an OPTION job without inst_family fails for good, before any request")
    func optionWithoutFamilyFails() async throws {
        let (handler, transport) = handler()
        do {
            _ = try await handler.fetch(job(#"{"inst_type":"OPTION"}"#))
            Issue.record("no error")
        } catch let failure as JobFailure {
            #expect(!failure.isRetryable)
            #expect("\(failure)".contains("inst_family"))
        }
        #expect(transport.urls.count == 0)
    }
}
