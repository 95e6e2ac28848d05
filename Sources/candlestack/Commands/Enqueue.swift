import ArgumentParser
import Foundation
import Postgres

/// `candlestack enqueue KIND --payload JSON`: the same row a psql user would insert.
struct Enqueue: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Enqueue a job (queue.enqueue): validated in SQL exactly like a psql INSERT.")

    @OptionGroup var database: DatabaseOptions

    @Argument(help: "Job kind, e.g. backfill, noop (see queue.job_kinds).")
    var kind: String

    @Option(help: "Payload as a JSON object.")
    var payload: String = "{}"

    @Option(help: "Priority 0...1000; lower runs first (default: the kind's).")
    var priority: Int?

    @Option(name: .customLong("unique-key"), help: "At most one queued or running job per key.")
    var uniqueKey: String?

    func validate() throws {
        guard let data = payload.data(using: .utf8),
              (try? JSONSerialization.jsonObject(with: data)) is [String: Any] else {
            throw ValidationError("--payload must be a JSON object, e.g. '{\"sleep_ms\": 10}'; got \(payload)")
        }
        if let priority, !(0...1000).contains(priority) {
            throw ValidationError("--priority must be 0...1000; got \(priority)")
        }
    }

    func run() throws {
        let connection = try database.connect()
        defer { connection.close() }
        do {
            let row = try connection.query("""
                select id, status, payload::text as payload
                  from queue.enqueue($1, $2::jsonb, $3::smallint, null, $4)
                """, [kind, JSONText(payload), priority, uniqueKey]).first
            let id = try row?.int64("id") ?? 0
            print("job \(id) \(try row?.string("status") ?? "") \(kind) \(try row?.string("payload") ?? "")")
        } catch let error as PostgresError {
            throw CLIError(error.sqlState.map { "\(error.message) (SQLSTATE \($0))" } ?? error.message)
        }
    }
}
