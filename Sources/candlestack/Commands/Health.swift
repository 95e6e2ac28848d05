import ArgumentParser
import Foundation
import Migrator
import Postgres

/// `candlestack health`: one probe for load balancers and monitors; exit 0 healthy, 1 not.
struct Health: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check the database, the schema, live workers, the queue and the schedules; exit 0 when healthy, 1 when not, saying why.")

    @OptionGroup var database: DatabaseOptions

    @Option(name: .customLong("schema-dir"), help: "Folder holding migrations/ and sql/ (to check that the schema is current).")
    var schemaDir: String?

    @Option(name: .customLong("min-workers"), help: "Workers that must have been seen in the last minute.")
    var minWorkers: Int = 1

    @Option(name: .customLong("max-queue-wait-seconds"), help: "The oldest claimable job may wait this long before the queue counts as stuck.")
    var maxQueueWait: Int = 600

    func validate() throws {
        guard minWorkers >= 0 else { throw ValidationError("--min-workers must be >= 0; got \(minWorkers)") }
        guard maxQueueWait > 0 else { throw ValidationError("--max-queue-wait-seconds must be > 0; got \(maxQueueWait)") }
    }

    func run() throws {
        var problems: [String] = []
        func ok(_ line: String) { print("ok    \(line)") }
        func bad(_ line: String) { print("FAIL  \(line)"); problems.append(line) }

        let connection: Connection
        do {
            connection = try Connection(database.conninfo)
        } catch let error as PostgresError {
            bad("database unreachable: \(error.message)")
            throw ExitCode(1)
        }
        defer { connection.close() }
        ok("database reachable (\(connection.summary))")

        var located: URL?
        do { located = try SchemaFiles.locate(explicit: schemaDir) } catch MigrationError.noSchemaDirectory {} catch {
            bad("schema check: \(error)")
        }
        if let root = located {
            do {
                let pending = try Migrator(files: SchemaFiles(root: root)).plan(connection).filter { $0.state != .applied }
                if pending.isEmpty { ok("schema current") } else {
                    bad("schema not current: \(pending.count) file(s) to apply (\(pending.prefix(3).map(\.file.path).joined(separator: ", "))); run candlestack migrate")
                }
            } catch {
                bad("schema check failed: \(error)")
            }
        } else {
            print("skip  schema check: no schema folder given or installed (use --schema-dir)")
        }

        do {
            let live = try connection.query("""
                select count(*) as n from queue.workers where stopped_at is null and last_seen > now() - interval '1 minute'
                """).first?.int("n") ?? 0
            if live >= minWorkers { ok("\(live) live worker(s)") } else { bad("\(live) live worker(s), expected at least \(minWorkers)") }

            let row = try connection.query("""
                select coalesce(extract(epoch from now() - min(run_at) filter (where status = 'queued' and run_at <= now())), 0)::int as oldest,
                       count(*) filter (where status = 'running' and lease_until < now() - interval '5 minutes') as stale
                  from queue.jobs where status in ('queued', 'running')
                """).first
            let oldest = try row?.int("oldest") ?? 0
            let stale = try row?.int("stale") ?? 0
            if oldest <= maxQueueWait { ok("queue moving (oldest claimable job waited \(oldest) s)") } else {
                bad("queue stuck: the oldest claimable job has waited \(oldest) s (limit \(maxQueueWait) s)")
            }
            if stale == 0 { ok("no expired leases left unrescued") } else { bad("\(stale) running job(s) with leases expired over 5 minutes ago (no worker is rescuing them)") }

            // "Keeps failing" is written once, as bi.failing_schedules.keeps_failing (sql/0295):
            // enabled, and 3 or more refused jobs in a row.
            let failing = try connection.query("""
                select name, failures, left(coalesce(last_error, ''), 200) as error
                  from bi.failing_schedules where keeps_failing order by failing_since, name
                """).rows()
            if failing.isEmpty { ok("no schedule keeps failing") } else {
                let named = try failing.prefix(3).map { "\(try $0.string("name") ?? "") (\(try $0.int("failures") ?? 0) in a row: \(try $0.string("error") ?? ""))" }
                bad("\(failing.count) schedule(s) keep failing (3 or more refused jobs in a row): \(named.joined(separator: "; "))"
                    + (failing.count > 3 ? "; ..." : "") + "; see bi.failing_schedules")
            }
        } catch let error as PostgresError {
            bad("queue check failed: \(error.message)")
        }
        if !problems.isEmpty { throw ExitCode(1) }
    }
}
