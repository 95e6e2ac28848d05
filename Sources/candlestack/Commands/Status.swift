import ArgumentParser
import Foundation
import Postgres

/// `candlestack status`: queue depth, running jobs with progress, live workers, recent failures, failing schedules.
struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show the queue: depth by kind and status, running jobs, workers, recent failures, failing schedules.")
    @OptionGroup var database: DatabaseOptions

    @Option(help: "How many recent failures to list.")
    var failures: Int = 5

    func run() throws {
        let c = try database.connect()
        defer { c.close() }
        do {
            print("queue (bi.queue_health)")
            Table.print(try c.query("""
                select kind, queued_now as queued, scheduled, running, succeeded_24h, failed_24h, cancelled_24h,
                       coalesce(to_char(oldest_queued_age, 'HH24:MI:SS'), '-') as oldest_wait
                  from bi.queue_health
                 where queued_now + scheduled + running + succeeded_24h + failed_24h + cancelled_24h > 0
                 order by kind
                """), empty: "no jobs in the last 24 hours")
            print("\nrunning jobs")
            Table.print(try c.query("""
                select id, kind, attempts || '/' || max_attempts as attempt, locked_by as worker,
                       round(coalesce(progress, 0)::numeric * 100) || '%' as progress,
                       coalesce(progress_message, '') as message,
                       to_char(now() - started_at, 'HH24:MI:SS') as running_for
                  from queue.jobs where status = 'running' order by started_at limit 50
                """), empty: "none")
            print("\nworkers seen in the last minute")
            Table.print(try c.query("""
                select id, host, pid, array_to_string(kinds, ',') as kinds,
                       to_char(now() - last_seen, 'HH24:MI:SS') as last_seen_ago
                  from queue.workers where stopped_at is null and last_seen > now() - interval '1 minute' order by id
                """), empty: "none")
            print("\nrecent failures")
            Table.print(try c.query("""
                select id, kind, attempts, to_char(finished_at, 'YYYY-MM-DD HH24:MI:SS') as failed_at,
                       left(coalesce(last_error, ''), 100) as error
                  from queue.jobs where status = 'failed' order by finished_at desc nulls last limit $1
                """, [failures]), empty: "none")
            print("\nfailing schedules (bi.failing_schedules)")
            Table.print(try c.query("""
                select name, kind, failures, case when keeps_failing then 'yes' else 'no' end as keeps_failing,
                       to_char(failing_since, 'YYYY-MM-DD HH24:MI:SS') as failing_since,
                       coalesce(to_char(retry_at, 'YYYY-MM-DD HH24:MI:SS'), '-') as retry_at,
                       left(coalesce(last_error, ''), 100) as error
                  from bi.failing_schedules order by failing_since, name limit 50
                """), empty: "none")
        } catch let error as PostgresError {
            throw CLIError(error.description)
        }
    }
}

/// Prints a result as an aligned text table.
enum Table {
    static func print(_ result: QueryResult, empty: String = "(no rows)") {
        guard result.count > 0 else { Swift.print("  " + empty); return }
        let rows = (0..<result.count).map { r in (0..<result.columns.count).map { result.string(r, $0) ?? "" } }
        printRows(header: result.columns, rows: rows)
    }

    static func printRows(header: [String], rows: [[String]]) {
        var widths = header.map(\.count)
        for row in rows { for (i, v) in row.enumerated() { widths[i] = max(widths[i], v.count) } }
        func line(_ values: [String]) -> String {
            "  " + values.enumerated().map { $0.element.padding(toLength: widths[$0.offset], withPad: " ", startingAt: 0) }.joined(separator: "  ")
        }
        Swift.print(line(header))
        Swift.print(line(widths.map { String(repeating: "-", count: $0) }))
        for row in rows { Swift.print(line(row)) }
    }
}
