import ArgumentParser
import Postgres

/// `candlestack cancel JOB`: queued jobs end at once; running ones stop at their next check.
struct Cancel: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Cancel a job (queue.cancel).")
    @OptionGroup var database: DatabaseOptions
    @Argument(help: "Job id.") var job: Int64

    func run() throws {
        try JobCommand.call(database, "select id, status, cancel_requested_at is not null as asked from queue.cancel($1)", job) { row in
            let status = try row.string("status") ?? ""
            let asked = try row.bool("asked") ?? false
            return status == "running" && asked ? "job \(job): cancellation requested; it stops at its next check" : "job \(job): \(status)"
        }
    }
}

/// `candlestack rerun JOB`: a finished job back to the queue.
struct Rerun: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Queue a finished (succeeded, failed, cancelled) job again (queue.rerun).")
    @OptionGroup var database: DatabaseOptions
    @Argument(help: "Job id.") var job: Int64

    func run() throws {
        try JobCommand.call(database, "select id, status from queue.rerun($1)", job) { row in
            "job \(job): \(try row.string("status") ?? "")"
        }
    }
}

enum JobCommand {
    static func call(_ database: DatabaseOptions, _ sql: String, _ job: Int64, _ describe: (QueryResult.Row) throws -> String) throws {
        let connection = try database.connect()
        defer { connection.close() }
        do {
            guard let row = try connection.query(sql, [job]).first else { throw CLIError("job \(job): no answer") }
            print(try describe(row))
        } catch let error as PostgresError {
            throw CLIError("job \(job): \(error.message)" + (error.sqlState.map { " (SQLSTATE \($0))" } ?? ""))
        }
    }
}
