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
                       floor(extract(epoch from oldest_queued_age))::bigint as oldest_wait
                  from bi.queue_health
                 where queued_now + scheduled + running + succeeded_24h + failed_24h + cancelled_24h > 0
                 order by kind
                """), empty: "no jobs in the last 24 hours", durations: ["oldest_wait"])
            print("\nrunning jobs")
            Table.print(try c.query("""
                select id, kind, attempts || '/' || max_attempts as attempt, locked_by as worker,
                       round(coalesce(progress, 0)::numeric * 100) || '%' as progress,
                       coalesce(progress_message, '') as message,
                       floor(extract(epoch from now() - started_at))::bigint as running_for
                  from queue.jobs where status = 'running' order by started_at limit 50
                """), empty: "none", durations: ["running_for"])
            print("\nworkers seen in the last minute")
            Table.print(try c.query("""
                select id, host, pid, array_to_string(kinds, ',') as kinds,
                       floor(extract(epoch from now() - last_seen))::bigint as last_seen_ago
                  from queue.workers where stopped_at is null and last_seen > now() - interval '1 minute' order by id
                """), empty: "none", durations: ["last_seen_ago"])
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
            try Status.printDisabledWatchlist(c)
        } catch let error as PostgresError {
            throw CLIError(error.description)
        }
    }
}

/// Prints a result as an aligned text table.
enum Table {
    /// Columns named in durations hold whole seconds and are shown as `duration(seconds:)` does ("-" when null).
    static func print(_ result: QueryResult, empty: String = "(no rows)", durations: Set<String> = []) {
        guard result.count > 0 else { Swift.print("  " + empty); return }
        let rows = (0..<result.count).map { r in
            (0..<result.columns.count).map { c -> String in
                let value = result.string(r, c)
                guard durations.contains(result.columns[c]) else { return value ?? "" }
                return value.flatMap { Int64($0) }.map(duration(seconds:)) ?? "-"
            }
        }
        printRows(header: result.columns, rows: rows)
    }

    /// Whole seconds as "04:05:06", or "3 days 04:05:06" from a day on: days are kept (to_char's
    /// HH24 wrapped at 24 hours and showed a job running for three days as running for four hours).
    static func duration(seconds: Int64) -> String {
        let sign = seconds < 0 ? "-" : ""
        let total = seconds.magnitude
        let days = total / 86_400, rest = total % 86_400
        let clock = String(format: "%02llu:%02llu:%02llu", rest / 3600, rest % 3600 / 60, rest % 60)
        return sign + (days == 0 ? clock : "\(days) day\(days == 1 ? "" : "s") \(clock)")
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
