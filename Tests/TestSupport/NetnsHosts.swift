import Foundation
import Postgres
#if canImport(Glibc)
import Glibc
#endif

/// Two network namespaces acting as two hosts (scripts/netns-hosts), each joined to the root
/// namespace by its own veth pair in a private /30. Needs root and `ip netns`.
public final class NetnsHosts: @unchecked Sendable {
    public struct Host: Sendable {
        /// The host name processes in it get (hostA, hostB), in their own UTS namespace.
        public var name: String
        public var namespace: String
        /// The namespace's own address.
        public var address: String
        /// The root-side address of its veth pair: where servers in the root namespace listen.
        public var rootAddress: String
        /// The /30 of the pair, for pg_hba.conf.
        public var network: String
    }

    public let id: Int32
    public let a: Host
    public let b: Host
    private let lock = NSLock()
    private var removed = false

    /// The `ip` program, if there is one.
    public static let ip: String? = ["/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    /// Why namespaces cannot be made here (not root, no `ip`, `ip netns` refused), or nil.
    public static let unavailableReason: String? = {
        guard getuid() == 0 else { return "needs root (network namespaces)" }
        guard let ip else { return "needs iproute2 (`ip`)" }
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/unshare") else { return "needs /usr/bin/unshare" }
        let probe = "cs-probe-\(getpid())"
        guard let added = try? Shell.run(ip, ["netns", "add", probe], check: false), added.status == 0 else {
            return "`ip netns add` failed: network namespaces unavailable"
        }
        _ = try? Shell.run(ip, ["netns", "del", probe], check: false)
        return nil
    }()

    /// For a test's `.enabled` trait: true when namespaces can be made here, else false after
    /// saying on stderr why `suite` is skipped.
    public static func available(for suite: String) -> Bool {
        guard let reason = unavailableReason else { return true }
        FileHandle.standardError.write(Data("\(suite) skipped: \(reason)\n".utf8))
        return false
    }

    /// Creates the two namespaces; `down()` removes them.
    public static func up(id: Int32 = getpid()) throws -> NetnsHosts {
        let output = try Shell.run(Paths.script("netns-hosts"), ["up", String(id)])
        let v = TestCluster.exports(output.stdout)
        guard let nsA = v["NS_A"], let nsB = v["NS_B"], let addrA = v["ADDR_A"], let addrB = v["ADDR_B"],
              let rootA = v["ROOT_A"], let rootB = v["ROOT_B"], let netA = v["NET_A"], let netB = v["NET_B"] else {
            _ = try? Shell.run(Paths.script("netns-hosts"), ["down", String(id)], check: false)
            throw Shell.ShellError(command: "scripts/netns-hosts up", output: output)
        }
        return NetnsHosts(id: id,
                          a: Host(name: "hostA", namespace: nsA, address: addrA, rootAddress: rootA, network: netA),
                          b: Host(name: "hostB", namespace: nsB, address: addrB, rootAddress: rootB, network: netB))
    }

    init(id: Int32, a: Host, b: Host) {
        self.id = id
        self.a = a
        self.b = b
    }

    /// Removes both namespaces and veth pairs (safe to call twice).
    public func down() {
        lock.lock(); defer { lock.unlock() }
        guard !removed else { return }
        removed = true
        _ = try? Shell.run(Paths.script("netns-hosts"), ["down", String(id)], check: false)
    }

    deinit { down() }
}

/// A `candlestack worker` running inside one of the NetnsHosts: `ip netns exec NS unshare --uts`
/// with the host's name set, so queue.workers.host tells the hosts apart. `ip`, `unshare` and
/// `sh` all exec, so `pid` is the worker itself.
public final class NamespacedWorker: @unchecked Sendable {
    public let pid: pid_t
    public let host: NetnsHosts.Host
    public let logPath: String
    private var exited: Int32?

    public init(on host: NetnsHosts.Host, conninfo: String, _ arguments: [String]) throws {
        guard let ip = NetnsHosts.ip else {
            throw Shell.ShellError(command: "ip", output: .init(status: 127, stdout: "", stderr: "no ip program"))
        }
        self.host = host
        logPath = FileManager.default.temporaryDirectory.appendingPathComponent("worker-\(host.name)-\(UUID().uuidString).log").path
        pid = try Shell.spawn(ip, ["netns", "exec", host.namespace, "/usr/bin/unshare", "--uts", "/bin/sh", "-c",
                                   "hostname \"$0\" && exec \"$@\"", host.name,
                                   Paths.executable("candlestack"), "worker", "--database-url", conninfo] + arguments,
                              stdout: logPath, stderr: logPath)
    }

    public func signal(_ sig: Int32) { if exited == nil { kill(pid, sig) } }

    /// The exit status if the process has ended (reaping it), else nil.
    public func poll() -> Int32? {
        if let exited { return exited }
        var status: Int32 = 0
        guard waitpid(pid, &status, WNOHANG) == pid else { return nil }
        exited = status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return exited
    }

    @discardableResult
    public func wait() -> Int32 {
        if let exited { return exited }
        let status = Shell.wait(pid)
        exited = status
        return status
    }

    public var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    deinit {
        if poll() == nil { kill(pid, SIGKILL); _ = Shell.wait(pid) }
        unlink(logPath)
    }
}

extension TestCluster {
    /// Makes this cluster reachable from both namespaces: it also listens on their root-side veth
    /// addresses, trusts their two /30 networks, and restarts to apply that.
    public func open(to hosts: NetnsHosts) async throws {
        guard let dir = directory else { return }
        let admin = try Connection(conninfo())
        // ALTER SYSTEM takes no parameters; the addresses are the ones NetnsHosts chose.
        try admin.executeScript("alter system set listen_addresses = '127.0.0.1,\(hosts.a.rootAddress),\(hosts.b.rootAddress)'")
        admin.close()
        guard let hba = FileHandle(forWritingAtPath: "\(dir)/data/pg_hba.conf") else {
            throw Shell.ShellError(command: "open \(dir)/data/pg_hba.conf", output: Shell.Output(status: 1, stdout: "", stderr: "cannot write pg_hba.conf"))
        }
        hba.seekToEndOfFile()
        hba.write(Data("host all all \(hosts.a.network) trust\nhost all all \(hosts.b.network) trust\n".utf8))
        try hba.close()
        try await Shell.run(Paths.script("db-ctl"), [dir, "restart"])
    }
}

/// A throwaway cluster of the test's own, reachable from two network namespaces (two hosts),
/// with a migrated database. `stop()` removes the namespaces and the cluster.
public final class TwoHostCluster: @unchecked Sendable {
    public let primary: TestCluster
    public let hosts: NetnsHosts
    public let database: String

    private init(primary: TestCluster, hosts: NetnsHosts, database: String) {
        self.primary = primary; self.hosts = hosts; self.database = database
    }

    public static func start() async throws -> TwoHostCluster {
        let primary = try TestCluster.start()
        let hosts: NetnsHosts
        do { hosts = try NetnsHosts.up() } catch { primary.stop(); throw error }
        do {
            try await primary.open(to: hosts)
            let conninfo = try primary.createMigratedDatabase()
            guard let database = TestCluster.databaseName(of: conninfo) else {
                throw Shell.ShellError(command: "createMigratedDatabase", output: Shell.Output(status: 1, stdout: conninfo, stderr: "no dbname"))
            }
            return TwoHostCluster(primary: primary, hosts: hosts, database: database)
        } catch {
            hosts.down(); primary.stop()
            throw error
        }
    }

    /// The database over the primary's Unix socket, for the test itself.
    public var conninfo: String { primary.conninfo(database) }

    /// How a process in `host`'s namespace reaches the database: over its own veth pair.
    public func conninfo(from host: NetnsHosts.Host) -> String {
        "host=\(host.rootAddress) port=\(primary.port) dbname=\(database) user=postgres"
    }

    public func stop() {
        hosts.down()
        primary.stop()
    }
}
