import ArgumentParser
import Foundation
import Postgres

/// `candlestack watch [JOB...]`: progress bars fed by LISTEN queue_progress, until the jobs end.
struct Watch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show live progress bars of jobs (LISTEN queue_progress); returns when they have all ended.",
        discussion: "Without job ids it watches every job queued or running when it starts.")
    @OptionGroup var database: DatabaseOptions
    @Argument(help: "Job ids (default: all queued and running jobs).") var jobs: [Int64] = []

    struct State: Sendable { var kind: String; var status: String; var progress: Double; var message: String }

    func run() async throws {
        let conninfo = database.conninfo
        let listener: AsyncConnection
        let poller: AsyncConnection
        do {
            listener = try await AsyncConnection.connect(conninfo)
            poller = try await AsyncConnection.connect(conninfo)
        } catch let error as PostgresError { throw CLIError(error.description) }
        let ids = jobs
        let board = ProgressBoard()
        try await listener.listen(["queue_progress"]) { notifications in
            // Poll the rows once a second as well: notifications are throttled, and the end of a
            // job is read from its row.
            let pollTask = Task {
                while !Task.isCancelled {
                    let rows = try await poller.query("""
                        select id, kind, status, coalesce(progress, 0)::float8 as progress, coalesce(progress_message, '') as message
                          from queue.jobs
                         where (cardinality($1::bigint[]) > 0 and id = any($1::bigint[]))
                            or (cardinality($1::bigint[]) = 0 and status in ('queued', 'running'))
                         order by id
                        """, [ids])
                    var states: [Int64: State] = [:]
                    for row in rows.rows() {
                        states[try row.required("id", row.int64)] = State(kind: try row.string("kind") ?? "", status: try row.string("status") ?? "",
                                                                          progress: try row.double("progress") ?? 0, message: try row.string("message") ?? "")
                    }
                    if await board.update(states, expected: ids) { return }
                    try await Task.sleep(for: .seconds(1))
                }
            }
            let notificationTask = Task {
                for try await n in notifications {
                    guard let object = try? JSONSerialization.jsonObject(with: Data(n.payload.utf8)) as? [String: Any],
                          let id = (object["job_id"] as? NSNumber)?.int64Value else { continue }
                    await board.progress(id, (object["progress"] as? NSNumber)?.doubleValue ?? 0, object["message"] as? String ?? "")
                }
            }
            _ = try await pollTask.value
            notificationTask.cancel()
        }
        await listener.close()
        await poller.close()
        let failed = await board.failedCount
        if failed > 0 { throw ExitCode(1) }
    }
}

/// The lines on screen: one bar per job, redrawn in place on a terminal.
actor ProgressBoard {
    private var states: [Int64: Watch.State] = [:]
    private var drawnLines = 0
    private var seenAny = false
    private let isTTY = isatty(1) == 1
    private(set) var failedCount = 0

    /// Replaces the states; returns true when every watched job has ended.
    func update(_ new: [Int64: Watch.State], expected: [Int64]) -> Bool {
        for (id, s) in new { states[id] = s }
        if !new.isEmpty { seenAny = true }
        draw(final: false)
        let final = ["succeeded", "failed", "cancelled"]
        let watched = expected.isEmpty ? Array(new.keys) : expected
        let done = watched.allSatisfy { final.contains(states[$0]?.status ?? (expected.isEmpty ? "succeeded" : "missing")) }
        if done && (seenAny || expected.isEmpty) {
            failedCount = states.values.filter { $0.status == "failed" }.count
            draw(final: true)
            return true
        }
        return false
    }

    func progress(_ id: Int64, _ fraction: Double, _ message: String) {
        guard var s = states[id] else { return }
        s.progress = fraction
        s.message = message
        s.status = "running"
        states[id] = s
        draw(final: false)
    }

    private func draw(final: Bool) {
        guard isTTY || final else { return }
        var out = ""
        if isTTY && drawnLines > 0 { out += "\u{1B}[\(drawnLines)A" }
        let lines = states.keys.sorted().map { id -> String in
            let s = states[id]!
            let width = 30
            let filled = Int((s.progress * Double(width)).rounded())
            let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
            return String(format: "job %-6lld %-16@ [%@] %3.0f%% %-9@ %@", id, s.kind as NSString, bar as NSString,
                          s.progress * 100, s.status as NSString, String(s.message.prefix(60)) as NSString)
        }
        for line in lines { out += line + (isTTY ? "\u{1B}[K" : "") + "\n" }
        drawnLines = lines.count
        FileHandle.standardOutput.write(Data(out.utf8))
    }
}
