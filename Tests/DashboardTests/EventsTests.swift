import Foundation
import Postgres
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// `/events` streams `LISTEN queue_progress` as Server-Sent Events, to a candlestack_bi login.
@Suite("dashboard events")
struct EventsTests {
    @Test("a queue_progress notification arrives on /events as an event: progress line")
    func progressEvent() async throws {
        let f = try await DashboardFixture.shared.value
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var a = sockaddr_in()
        a.sin_family = sa_family_t(AF_INET); a.sin_port = UInt16(f.port).bigEndian
        a.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &a) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        try #require(rc == 0)
        var tv = timeval(tv_sec: 20, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        let request = Array("GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n".utf8)
        _ = request.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        var seen = ""
        var buf = [UInt8](repeating: 0, count: 4096)
        func readUntil(_ needle: String) -> Bool {
            while !seen.contains(needle) {
                let n = read(fd, &buf, buf.count)
                if n <= 0 { return false }
                seen += String(decoding: buf[0..<n], as: UTF8.self)
            }
            return true
        }
        #expect(readUntil(": connected"), "no stream opening: \(seen.prefix(300))")
        #expect(seen.lowercased().contains("content-type: text/event-stream"))
        // The stream's LISTEN is set up right after the opening; notify until an event arrives
        // (each try is a fresh notification, so a missed first one is not an error).
        let admin = try Connection(f.conninfo)
        defer { admin.close() }
        var got = false
        for attempt in 0..<40 where !got {
            _ = try admin.query("select pg_notify('queue_progress', json_build_object('job_id', $1::bigint, 'kind', 'noop', 'progress', 0.5, 'message', $2::text)::text)",
                                [f.jobID, "half way \(attempt)"])
            tv = timeval(tv_sec: 0, tv_usec: 250_000)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
            got = readUntil("half way")
        }
        #expect(got, "no progress event: \(seen.suffix(300))")
        #expect(seen.contains("event: progress"))
        #expect(seen.contains("\"job_id\" : \(f.jobID)") || seen.contains("\"job_id\":\(f.jobID)") || seen.contains("\"job_id\": \(f.jobID)"))
    }
}
