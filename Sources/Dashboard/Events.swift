import FlyingFox
import FlyingSocks
import Foundation
import Postgres

/// `/events`: Server-Sent Events fed by `LISTEN queue_progress` on a connection of its own. Each
/// notification of queue.report_progress (job_id, kind, progress, message; throttled per job by
/// the database) becomes `event: progress` with the notification's JSON as data; a comment line
/// every 15 s keeps proxies from closing the stream. The Activity page's script moves its progress
/// bars from these events, without a reload or polling.
enum Events {
    static func response(conninfo: String?) -> HTTPResponse {
        let (stream, continuation) = AsyncStream<[UInt8]>.makeStream(bufferingPolicy: .bufferingNewest(256))
        continuation.yield(Array("retry: 5000\n: connected\n\n".utf8))
        let listener = Task {
            do {
                let connection = try await AsyncConnection.connect(conninfo, applicationName: "candlestack-serve-events")
                _ = try? await connection.listen(["queue_progress"]) { notifications in
                    for try await n in notifications {
                        let data = n.payload.replacingOccurrences(of: "\n", with: " ")
                        continuation.yield(Array("event: progress\ndata: \(data)\n\n".utf8))
                    }
                }
                await connection.close()
            } catch {
                continuation.yield(Array("event: error\ndata: \(JSON.string("database: \(error)"))\n\n".utf8))
            }
            continuation.finish()
        }
        let heartbeat = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(15))
                continuation.yield(Array(": keepalive\n\n".utf8))
            }
        }
        continuation.onTermination = { _ in listener.cancel(); heartbeat.cancel() }
        return HTTPResponse(statusCode: .ok, headers: [.contentType: "text/event-stream", HTTPHeader("X-Accel-Buffering"): "no"],
                            body: HTTPBodySequence(from: ByteChunks(stream: stream), suggestedBufferSize: 4096))
    }
}

/// An AsyncStream of byte chunks as FlyingFox's buffered byte sequence (each chunk sent as it comes).
struct ByteChunks: AsyncBufferedSequence, Sendable {
    typealias Element = UInt8
    let stream: AsyncStream<[UInt8]>

    func makeAsyncIterator() -> Iterator { Iterator(base: stream.makeAsyncIterator()) }

    struct Iterator: AsyncBufferedIteratorProtocol {
        var base: AsyncStream<[UInt8]>.Iterator
        var pending: [UInt8] = []

        mutating func next() async throws -> UInt8? {
            if pending.isEmpty {
                guard let chunk = await base.next() else { return nil }
                pending = chunk
            }
            return pending.isEmpty ? nil : pending.removeFirst()
        }

        mutating func nextBuffer(suggested count: Int) async throws -> [UInt8]? {
            if !pending.isEmpty { defer { pending = [] }; return pending }
            while let chunk = await base.next() { if !chunk.isEmpty { return chunk } }
            return nil
        }
    }
}
