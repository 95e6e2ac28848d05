import ArgumentParser
import Dashboard
import Foundation
import Postgres

/// `candlestack serve`: the web dashboard over schema bi (docs/dashboard.md).
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the web dashboard (overview, coins, activity, backtests, runs) over the bi views.",
        discussion: "Reads only schema bi, so it runs under a candlestack_bi login. Binds 127.0.0.1 unless --bind says otherwise. See docs/dashboard.md."
    )

    @OptionGroup var database: DatabaseOptions

    @Option(help: "TCP port to listen on (0: any free port, printed at start).")
    var port: Int = 8080

    @Option(help: "Address to bind: 127.0.0.1 (default, this host only), 0.0.0.0 or an IPv6 address.")
    var bind: String = "127.0.0.1"

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be from 0 to 65535, got \(port)") }
    }

    func run() async throws {
        // Fail fast, with a one-line reason and never the password, when the database is unreachable.
        let probe = try database.connect()
        let who = probe.summary
        probe.close()
        let server = DashboardServer(host: bind, port: UInt16(port), conninfo: database.conninfo)
        let bound: Int
        do { bound = try await server.start() } catch let refusal as Refusal {
            throw CLIError(refusal.reason)
        } catch {
            throw CLIError("cannot listen on \(bind):\(port): \(error)")
        }
        let host = bind.contains(":") ? "[\(bind)]" : bind
        FileHandle.standardOutput.write(Data("candlestack serve: http://\(host):\(bound)/ (database \(who)); Ctrl-C stops\n".utf8))
        while true { try await Task.sleep(for: .seconds(3600)) }
    }
}
