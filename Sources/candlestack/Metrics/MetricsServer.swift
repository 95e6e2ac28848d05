import FlyingFox
import Foundation
import Worker

/// Serves `GET /metrics` (Prometheus text) for `candlestack worker --metrics-port P`.
/// Listens on 127.0.0.1 unless told otherwise: scrape it from the same host or through a proxy.
final class MetricsServer: Sendable {
    private let server: HTTPServer
    private let task: Task<Void, Error>

    init(host: String, port: UInt16, render: @escaping @Sendable () async -> String) async throws {
        let address = try sockaddr_in.inet(ip4: host, port: port)
        server = HTTPServer(address: address, timeout: 10, logger: .disabled)
        await server.appendRoute("GET /metrics") { _ in
            let text = await render()
            return HTTPResponse(statusCode: .ok, headers: [.contentType: "text/plain; version=0.0.4"], body: Data(text.utf8))
        }
        let server = self.server
        task = Task { try await server.run() }
        try await server.waitUntilListening(timeout: 10)
    }

    func stop() async {
        await server.stop(timeout: 1)
        task.cancel()
    }
}
