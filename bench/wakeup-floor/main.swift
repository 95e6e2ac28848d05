// Wake-up latency of the queue beside this machine's floor (prints figures; not a test).
// Run by bench/queue.sh while one idle `candlestack worker` runs:
//   DATABASE_URL=... bench-wakeup-floor [SECONDS]        default 10
//
// Alternates, 20 ms apart, two single-row INSERTs from one client:
//   queue: insert into queue.jobs (kind, payload) values ('noop', '{}'), claimed by the worker;
//          latency = started_at - created_at, as bench/queue.sh measures it.
//   floor: insert into bench_floor default values, a one-column table whose statement trigger
//          NOTIFYs; a second connection LISTENs and on the notification sends `select now()`;
//          latency = that now() - created_at. Same durable commit, same NOTIFY hop, same claim
//          hop, nothing else: what any LISTEN/NOTIFY queue pays on this machine.
// Interleaving cancels the drift of a shared machine between the two figures.
import Foundation
import Postgres

let seconds = CommandLine.arguments.count > 1 ? Double(CommandLine.arguments[1]) ?? 10 : 10
let conninfo = ProcessInfo.processInfo.environment["DATABASE_URL"]

func percentile(_ sorted: [Double], _ p: Double) -> Double {
    sorted.isEmpty ? .nan : sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
}
func line(_ name: String, _ values: [Double]) -> String {
    let s = values.sorted()
    return String(format: "%@ p50 %.3f ms;  p95 %.3f ms;  p99 %.3f ms  (%d samples)",
                  name, percentile(s, 0.5), percentile(s, 0.95), percentile(s, 0.99), s.count)
}

do {
    let client = try Connection(conninfo, applicationName: "bench-wakeup-floor")
    let listener = try Connection(conninfo, applicationName: "bench-wakeup-floor-listener")
    _ = try client.query("""
        create table if not exists public.bench_floor (
          id bigint generated always as identity primary key,
          created_at timestamptz not null default now())
        """)
    _ = try client.query("""
        create or replace function public.bench_floor_notify() returns trigger language plpgsql as $$
        begin
          perform pg_catalog.pg_notify('bench_floor', '');
          return null;
        end;
        $$
        """)
    _ = try client.query("""
        create or replace trigger bench_floor_notify after insert on public.bench_floor
          for each statement execute function public.bench_floor_notify()
        """)
    try listener.listen(["bench_floor", "queue_jobs"])

    /// Waits for a notification on `channel`, then stamps now() with a query on the listener.
    func heardAt(_ channel: String) throws -> Double {
        var heard = false
        while !heard {
            let got = try listener.waitForNotifications(timeout: .seconds(5))
            guard !got.isEmpty else { throw PostgresError(kind: .client, message: "no \(channel) notification within 5 s") }
            heard = got.contains { $0.channel == channel }
        }
        return try listener.query("select extract(epoch from now())::float8 as t").first?.double("t") ?? .nan
    }

    var floor: [Double] = []
    var queueHeard: [Double] = []
    var jobIDs: [Int64] = []
    let end = Date().addingTimeInterval(seconds)
    while Date() < end {
        usleep(20_000)
        let created = try client.query("insert into public.bench_floor default values returning extract(epoch from created_at)::float8 as t")
            .first?.double("t") ?? .nan
        floor.append((try heardAt("bench_floor") - created) * 1000)

        usleep(20_000)
        let job = try client.query("""
            insert into queue.jobs (kind, payload) values ('noop', '{}')
            returning id, extract(epoch from created_at)::float8 as t
            """).first
        if let job, let id = try job.int64("id"), let created = try job.double("t") {
            jobIDs.append(id)
            queueHeard.append((try heardAt("queue_jobs") - created) * 1000)
        }
    }
    // Let the worker finish the last jobs.
    let ids = "{" + jobIDs.map(String.init).joined(separator: ",") + "}"
    var queue: [Double] = []
    for _ in 0..<50 {
        let rows = try client.query("""
            select extract(epoch from started_at - created_at)::float8 * 1000 as ms
              from queue.jobs where id = any($1::bigint[]) and started_at is not null
            """, [ids])
        queue = try rows.rows().compactMap { try $0.double("ms") }
        if queue.count == jobIDs.count { break }
        usleep(100_000)
    }
    _ = try client.query("drop table public.bench_floor")
    _ = try client.query("drop function public.bench_floor_notify()")
    print("  " + line("queue job INSERT to worker's claim:        ", queue))
    print("  " + line("queue job INSERT to a bare listener's query:", queueHeard))
    print("  " + line("floor: plain INSERT to a bare listener's query:", floor))
    let p50 = { (v: [Double]) in percentile(v.sorted(), 0.5) }
    print(String(format: "  at p50: queue INSERT costs %.3f ms over the floor's, the worker %.3f ms over a bare listener",
                 p50(queueHeard) - p50(floor), p50(queue) - p50(queueHeard)))
} catch {
    FileHandle.standardError.write(Data("bench-wakeup-floor: \(error)\n".utf8))
    exit(1)
}
