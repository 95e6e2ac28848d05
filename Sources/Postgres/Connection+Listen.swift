import CLibPQ
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A notification received through LISTEN.
public struct PostgresNotification: Sendable, Equatable {
    public var channel: String
    public var payload: String
    /// The backend process that sent it.
    public var senderPID: Int32
}

extension Connection {
    /// LISTENs on each channel (quoted as an identifier, so any name is safe).
    public func listen(_ channels: [String]) throws {
        for channel in channels { try executeScript("listen " + Self.quoteIdentifier(channel)) }
    }

    public func unlisten(_ channels: [String]) throws {
        for channel in channels { try executeScript("unlisten " + Self.quoteIdentifier(channel)) }
    }

    /// Quotes an identifier the way PostgreSQL's quote_ident does (always quoted).
    public static func quoteIdentifier(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Notifications already received, without waiting.
    public func pendingNotifications() throws -> [PostgresNotification] {
        let pg = try open()
        guard PQconsumeInput(pg) == 1 else { throw PostgresError.from(result: nil, connection: pg) }
        var out: [PostgresNotification] = []
        while let n = PQnotifies(pg) {
            out.append(PostgresNotification(channel: String(cString: n.pointee.relname),
                                    payload: String(cString: n.pointee.extra),
                                    senderPID: n.pointee.be_pid))
            PQfreemem(n)
        }
        return out
    }

    /// Waits on the connection's socket (poll, no sleeping loop) until notifications arrive, the
    /// timeout passes, or `wakeFD` becomes readable. Returns what arrived (empty on timeout or wake).
    /// A lost connection throws a `PostgresError` of kind `.connectionLost`.
    public func waitForNotifications(timeout: Duration, wakeFD: Int32? = nil) throws -> [PostgresNotification] {
        let ready = try pendingNotifications()
        if !ready.isEmpty { return ready }
        let pg = try open()
        let socket = PQsocket(pg)
        guard socket >= 0 else { throw PostgresError(kind: .connectionLost, message: "connection has no socket") }
        var fds = [pollfd(fd: socket, events: Int16(POLLIN), revents: 0)]
        if let wakeFD { fds.append(pollfd(fd: wakeFD, events: Int16(POLLIN), revents: 0)) }
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while true {
            let remaining = ContinuousClock.now.duration(to: deadline)
            if remaining <= .zero { return [] }
            let ms = Int32(clamping: max(1, remaining.components.seconds * 1000 + remaining.components.attoseconds / 1_000_000_000_000_000))
            let rc = poll(&fds, nfds_t(fds.count), ms)
            if rc < 0 {
                if errno == EINTR { continue }
                throw PostgresError(kind: .client, message: "poll failed: errno \(errno)")
            }
            if rc == 0 { return [] }
            if fds.count > 1 && fds[1].revents != 0 { return try pendingNotifications() }
            if fds[0].revents != 0 {
                let got = try pendingNotifications()
                if PQstatus(pg) == CONNECTION_BAD {
                    throw PostgresError(kind: .connectionLost, message: "connection to PostgreSQL lost while listening")
                }
                if !got.isEmpty { return got }
                if fds[0].revents & Int16(POLLHUP | POLLERR) != 0 {
                    throw PostgresError(kind: .connectionLost, message: "connection to PostgreSQL lost while listening")
                }
            }
        }
    }
}
