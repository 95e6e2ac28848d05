import Foundation
import Postgres
import Testing
import TestSupport

/// Security: a password given in a connection URL or PGPASSWORD never shows in logs, errors or
/// command output.
@Suite("Security: passwords stay secret")
struct PasswordLeakTests {
    static let secret = "Sup3r-S3cret-pa55"

    func run(_ args: [String], env: [String: String] = [:]) throws -> Shell.Output {
        try Shell.run(Paths.executable("candlestack"), args, environment: env, check: false)
    }

    @Test func noCommandPrintsThePassword() async throws {
        let cluster = TestCluster.shared
        let conninfo = try cluster.createMigratedDatabase()
        let dbname = try #require(TestCluster.databaseName(of: conninfo))
        // The throwaway cluster trusts local connections, so the password is sent but not needed:
        // commands succeed, and must still never print it.
        let goodURL = "postgresql://postgres:\(Self.secret)@127.0.0.1:\(cluster.port)/\(dbname)"
        let badURL = "postgresql://postgres:\(Self.secret)@127.0.0.1:1/\(dbname)"
        let keyValue = "host=127.0.0.1 port=1 dbname=\(dbname) user=postgres password=\(Self.secret)"
        var outputs: [(String, Shell.Output)] = []
        for url in [goodURL, badURL, keyValue] {
            outputs.append(("status \(url.prefix(12))", try run(["status", "--database-url", url])))
            outputs.append(("health \(url.prefix(12))", try run(["health", "--database-url", url, "--min-workers", "0"])))
            outputs.append(("migrate --status \(url.prefix(12))", try run(["migrate", "--status", "--database-url", url])))
            outputs.append(("enqueue \(url.prefix(12))", try run(["enqueue", "noop", "--payload", "{\"bad\": 1}", "--database-url", url])))
        }
        outputs.append(("PGPASSWORD status", try run(["status"], env: ["PGPASSWORD": Self.secret, "PGHOST": "127.0.0.1", "PGPORT": "1"])))
        // A worker that cannot reach its database logs the failure (and retries) until stopped.
        let worker = try WorkerProcess(conninfo: badURL, ["--poll-seconds", "0.2"], environment: ["PGPASSWORD": Self.secret])
        await pause(1.5)
        worker.signal(SIGTERM)
        await worker.wait()
        outputs.append(("worker log", Shell.Output(status: 0, stdout: worker.log, stderr: "")))
        var leaks: [String] = []
        for (name, out) in outputs where (out.stdout + out.stderr).contains(Self.secret) { leaks.append(name) }
        let failedAsExpected = outputs.filter { $0.0.contains("127.0.0.1:1") || $0.0.contains("host=127.0") }.allSatisfy { $0.1.status != 0 }
        print("security: \(outputs.count) command outputs and logs checked with a password in URLs, conninfo and PGPASSWORD, \(leaks.count) leaks")
        #expect(leaks.isEmpty, "password printed by: \(leaks.joined(separator: "; "))")
        #expect(outputs.first!.1.status == 0, "status with a password in the URL works: \(outputs.first!.1.stderr)")
        #expect(failedAsExpected)
        #expect(worker.log.contains("database unavailable"))
    }
}
