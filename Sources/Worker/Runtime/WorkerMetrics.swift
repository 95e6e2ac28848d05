import Foundation
import Postgres

/// Prometheus text exposition of a worker: its jobs by kind and outcome, run times, the queue's
/// depth (read from bi.queue_health at scrape time) and whatever extra lines the caller adds
/// (OKX request counters).
extension WorkerRuntime {
    public func metricsText(extra: [String] = []) async -> String {
        var lines: [String] = []
        func family(_ name: String, _ type: String, _ help: String) {
            lines.append("# HELP \(name) \(help)")
            lines.append("# TYPE \(name) \(type)")
        }
        func label(_ s: String) -> String {
            s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n")
        }
        let stats = state.kindStats.sorted { $0.key < $1.key }
        family("candlestack_jobs_claimed_total", "counter", "Jobs this worker claimed, by kind.")
        for (kind, s) in stats { lines.append("candlestack_jobs_claimed_total{kind=\"\(label(kind))\"} \(s.claimed)") }
        family("candlestack_jobs_finished_total", "counter", "Job attempts this worker finished, by kind and outcome (succeeded, failed, cancelled, released, lost).")
        for (kind, s) in stats {
            for (outcome, n) in s.outcomes.sorted(by: { $0.key < $1.key }) {
                lines.append("candlestack_jobs_finished_total{kind=\"\(label(kind))\",outcome=\"\(outcome)\"} \(n)")
            }
        }
        family("candlestack_job_duration_seconds", "summary", "Run time of finished job attempts, by kind.")
        for (kind, s) in stats {
            lines.append("candlestack_job_duration_seconds_sum{kind=\"\(label(kind))\"} \(s.durationSeconds)")
            lines.append("candlestack_job_duration_seconds_count{kind=\"\(label(kind))\"} \(s.finished)")
        }
        family("candlestack_worker_running_jobs", "gauge", "Jobs running in this worker now.")
        lines.append("candlestack_worker_running_jobs \(state.runningCount)")
        family("candlestack_worker_slots", "gauge", "Job slots of this worker (--concurrency).")
        lines.append("candlestack_worker_slots \(configuration.concurrency)")
        if let rows = try? await database.query("select kind, queued_now, scheduled, running from bi.queue_health order by kind") {
            family("candlestack_queue_jobs", "gauge", "Jobs in the queue by kind and state (all workers), from bi.queue_health.")
            for row in rows.rows() {
                let kind = label(((try? row.string("kind")) ?? nil) ?? "")
                for column in ["queued_now", "scheduled", "running"] {
                    let n = ((try? row.int(column)) ?? nil) ?? 0
                    lines.append("candlestack_queue_jobs{kind=\"\(kind)\",state=\"\(column == "queued_now" ? "queued" : column)\"} \(n)")
                }
            }
        }
        lines += extra
        return lines.joined(separator: "\n") + "\n"
    }
}
