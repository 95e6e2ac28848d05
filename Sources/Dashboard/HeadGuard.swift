import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The socket the dashboard listens on. It reads each request's head (request line and headers)
/// itself, in large reads with a size cap, and answers 414 or 431 with one line when it is too
/// big, before FlyingFox sees a byte: FlyingFox parses the head a byte at a time, so a 10 MB query
/// string would otherwise keep a core busy for hours. An accepted head is passed, with
/// `Connection: close` (one request per connection), to the FlyingFox server on a loopback port,
/// and its answer (a page, or an endless event stream) is piped back.
final class HeadGuard: @unchecked Sendable {
    static let maxRequestLine = 8192
    static let maxHead = 32768
    static let maxBody = 65536
    private let listenFD: Int32
    private let backendPort: UInt16
    private let stopped = NSLock()
    private var isStopped = false

    init(host: String, port: UInt16, backendPort: UInt16) throws {
        self.backendPort = backendPort
        let v6 = host.contains(":")
        let fd = socket(v6 ? AF_INET6 : AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Refusal(500, "socket() failed: errno \(errno)") }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var rc: Int32
        if v6 {
            var a = sockaddr_in6()
            a.sin6_family = sa_family_t(AF_INET6); a.sin6_port = port.bigEndian
            guard inet_pton(AF_INET6, host, &a.sin6_addr) == 1 else { close(fd); throw Refusal(400, "--bind: not an IPv6 address: \(host)") }
            rc = withUnsafePointer(to: &a) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) } }
        } else {
            var a = sockaddr_in()
            a.sin_family = sa_family_t(AF_INET); a.sin_port = port.bigEndian
            guard inet_pton(AF_INET, host, &a.sin_addr) == 1 else { close(fd); throw Refusal(400, "--bind: not an IPv4 address: \(host)") }
            rc = withUnsafePointer(to: &a) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        }
        guard rc == 0, listen(fd, 128) == 0 else {
            let e = errno
            close(fd)
            throw Refusal(500, "cannot listen on \(host):\(port): \(String(cString: strerror(e)))")
        }
        listenFD = fd
    }

    /// The bound port (the one chosen when asked for port 0).
    var port: Int {
        var a = sockaddr_in6()
        var len = socklen_t(MemoryLayout<sockaddr_in6>.size)
        _ = withUnsafeMutablePointer(to: &a) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listenFD, $0, &len) } }
        return Int(UInt16(bigEndian: a.sin6_port))   // sin_port and sin6_port share their offset
    }

    func start() {
        let t = Thread { [self] in acceptLoop() }
        t.name = "dashboard-accept"
        t.start()
    }

    func stop() {
        stopped.lock(); isStopped = true; stopped.unlock()
        shutdown(listenFD, Int32(SHUT_RDWR))
        close(listenFD)
    }

    private func acceptLoop() {
        while true {
            let c = accept(listenFD, nil, nil)
            if c < 0 {
                stopped.lock(); let done = isStopped; stopped.unlock()
                if done { return }
                if errno == EINTR || errno == ECONNABORTED || errno == EMFILE { usleep(1000); continue }
                return
            }
            let t = Thread { [self] in serve(c) }
            t.start()
        }
    }

    private func serve(_ client: Int32) {
        var tv = timeval(tv_sec: 30, tv_usec: 0)
        setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        defer { close(client) }
        var head = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 65536)
        let end: [UInt8] = [13, 10, 13, 10]
        var headEnd: Int? = nil
        while headEnd == nil {
            let n = read(client, &chunk, chunk.count)
            if n <= 0 { return }
            let searchFrom = max(0, head.count - 3)
            head.append(contentsOf: chunk[0..<n])
            headEnd = Self.find(end, in: head, from: searchFrom)
            let lineEnd = Self.find([13, 10], in: head, from: 0) ?? head.count
            if lineEnd > Self.maxRequestLine {
                return refuse(client, 414, "URI Too Long", "request line too long: over \(Self.maxRequestLine) bytes (query strings are at most \(QueryParameters.maxQueryLength))")
            }
            if headEnd == nil && head.count > Self.maxHead {
                return refuse(client, 431, "Request Header Fields Too Large", "request headers too large: over \(Self.maxHead) bytes")
            }
        }
        let split = headEnd!
        // A body (an action's form) comes with a Content-Length, capped; it is read in full and passed on.
        let headText = String(decoding: head[0..<split], as: UTF8.self).lowercased()
        let lines = headText.components(separatedBy: "\r\n")
        if lines.contains(where: { $0.hasPrefix("transfer-encoding:") }) {
            return refuse(client, 411, "Length Required", "a request body needs a Content-Length (no chunked encoding)")
        }
        var length = 0
        if let line = lines.first(where: { $0.hasPrefix("content-length:") }) {
            guard let n = Int(line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)), n >= 0 else {
                return refuse(client, 400, "Bad Request", "Content-Length: expected a whole number")
            }
            length = n
        }
        if length > Self.maxBody {
            return refuse(client, 413, "Content Too Large", "request body too large: \(length) bytes, at most \(Self.maxBody)")
        }
        var body = Array(head[(split + 4)...].prefix(length))
        while body.count < length {
            let n = read(client, &chunk, min(chunk.count, length - body.count))
            if n <= 0 { return }
            body += chunk[0..<n]
        }
        let forward = Array(head[0..<split]) + Array("\r\nConnection: close\r\n\r\n".utf8) + body
        let backend = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard backend >= 0 else { return }
        defer { close(backend) }
        var a = sockaddr_in()
        a.sin_family = sa_family_t(AF_INET); a.sin_port = backendPort.bigEndian
        a.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &a) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(backend, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard rc == 0, Self.writeAll(backend, forward) else { return }
        // One request per connection: the response is piped back until the server closes it.
        while true {
            let n = read(backend, &chunk, chunk.count)
            if n <= 0 { break }
            if !Self.writeAll(client, Array(chunk[0..<n])) { break }
        }
    }

    private func refuse(_ fd: Int32, _ status: Int, _ phrase: String, _ reason: String) {
        var text = "HTTP/1.1 \(status) \(phrase)\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n"
        for (k, v) in DashboardServer.securityHeaders { text += "\(k.rawValue): \(v)\r\n" }
        let body = reason + "\n"
        text += "Content-Length: \(body.utf8.count)\r\n\r\n" + body
        _ = Self.writeAll(fd, Array(text.utf8))
        // Let the client read the answer before the close: stop sending, drain a little, then close.
        shutdown(fd, Int32(SHUT_WR))
        var tv = timeval(tv_sec: 1, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var sink = [UInt8](repeating: 0, count: 65536)
        var drained = 0
        while drained < 64 << 20 { let n = read(fd, &sink, sink.count); if n <= 0 { break }; drained += n }
    }

    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var off = 0
        while off < bytes.count {
            let n = bytes[off...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { if errno == EINTR { continue }; return false }
            off += n
        }
        return true
    }

    static func find(_ needle: [UInt8], in hay: [UInt8], from: Int) -> Int? {
        guard hay.count >= needle.count else { return nil }
        var i = from
        while i <= hay.count - needle.count {
            if hay[i] == needle[0] && Array(hay[i..<(i + needle.count)]) == needle { return i }
            i += 1
        }
        return nil
    }
}
