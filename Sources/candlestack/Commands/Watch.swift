import ArgumentParser
import Foundation
import Postgres

/// `candlestack watch [JOB...]`: progress bars fed by LISTEN queue_progress, until the jobs end.
struct Watch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show live progress bars of jobs (LISTEN queue_progress); returns when they have all ended.",
        discussion: """
            Without job ids it follows every job queued or running when it starts (jobs queued later \
            are not followed) until each has ended. Exits 1 naming every followed job that failed, \
            0 when none did.
            """)
    @OptionGroup var database: DatabaseOptions
    @Argument(help: "Job ids (default: all queued and running jobs).") var jobs: [Int64] = []

    struct State: Sendable {
        var kind: String; var status: String; var progress: Double; var message: String; var error: String = ""
    }

    /// The jobs to follow, fixed once at the start: the ids given (each must exist), or every job
    /// queued or running now. Re-reading "queued or running" on each poll would drop a job the
    /// moment it ends, so its failure was never seen.
    static func jobsToFollow(_ given: [Int64], on connection: AsyncConnection) async throws -> [Int64] {
        let rows = try await connection.query("""
            select id from queue.jobs
             where (cardinality($1::bigint[]) > 0 and id = any($1::bigint[]))
                or (cardinality($1::bigint[]) = 0 and status in ('queued', 'running'))
             order by id
            """, [given])
        let found = try rows.rows().map { try $0.required("id", $0.int64) }
        let missing = given.filter { !found.contains($0) }
        if !missing.isEmpty { throw CLIError("no such job: \(missing.map(String.init).joined(separator: ", "))") }
        return found
    }

    func run() async throws {
        let conninfo = database.conninfo
        let listener: AsyncConnection
        let poller: AsyncConnection
        do {
            listener = try await AsyncConnection.connect(conninfo)
            poller = try await AsyncConnection.connect(conninfo)
        } catch let error as PostgresError { throw CLIError(error.description) }
        let ids: [Int64]
        do { ids = try await Self.jobsToFollow(jobs, on: poller) } catch let error as PostgresError { throw CLIError(error.description) }
        // Unbuffered, like the board: a script (or a test) may wait for this line before acting.
        FileHandle.standardOutput.write(Data((ids.isEmpty ? "no queued or running jobs to watch\n"
            : "watching \(ids.count) job(s): \(ids.map(String.init).joined(separator: " "))\n").utf8))
        if ids.isEmpty {
            await listener.close()
            await poller.close()
            return
        }
        let board = ProgressBoard()
        try await listener.listen(["queue_progress"]) { notifications in
            // Poll the rows once a second as well: notifications are throttled, and the end of a
            // job is read from its row.
            let pollTask = Task {
                while !Task.isCancelled {
                    let rows = try await poller.query("""
                        select id, kind, status, coalesce(progress, 0)::float8 as progress, coalesce(progress_message, '') as message,
                               case when status = 'failed' then left(coalesce(last_error, ''), 200) else '' end as error
                          from queue.jobs
                         where id = any($1::bigint[])
                         order by id
                        """, [ids])
                    var states: [Int64: State] = [:]
                    for row in rows.rows() {
                        states[try row.required("id", row.int64)] = State(kind: try row.string("kind") ?? "", status: try row.string("status") ?? "",
                                                                          progress: try row.double("progress") ?? 0, message: try row.string("message") ?? "",
                                                                          error: try row.string("error") ?? "")
                    }
                    if await board.update(states, following: ids) { return }
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
        let failed = await board.failed
        if !failed.isEmpty {
            let lines = failed.map { "job \($0.id) (\($0.kind)) failed" + ($0.error.isEmpty ? "" : ": \($0.error)") }
            FileHandle.standardError.write(Data((lines.joined(separator: "\n") + "\n").utf8))
            throw ExitCode(1)
        }
    }
}

/// The lines on screen: one bar per job, redrawn in place on a terminal.
actor ProgressBoard {
    private var states: [Int64: Watch.State] = [:]
    private var drawnLines = 0
    private let isTTY = isatty(1) == 1
    /// The followed jobs that ended failed, by id, once every job has ended.
    private(set) var failed: [(id: Int64, kind: String, error: String)] = []

    /// Replaces the states of the followed jobs; returns true when every one of them has ended.
    /// A followed job missing from new was deleted meanwhile (queue.prune): it has ended too.
    func update(_ new: [Int64: Watch.State], following ids: [Int64]) -> Bool {
        for id in ids {
            if let s = new[id] { states[id] = s } else if var s = states[id] { s.status = "deleted"; states[id] = s }
        }
        draw(final: false)
        let final = ["succeeded", "failed", "cancelled", "deleted"]
        guard ids.allSatisfy({ final.contains(states[$0]?.status ?? "deleted") }) else { return false }
        failed = states.keys.sorted().compactMap { id in
            states[id].flatMap { $0.status == "failed" ? (id, $0.kind, $0.error) : nil }
        }
        draw(final: true)
        return true
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
