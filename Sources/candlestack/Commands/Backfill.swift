import ArgumentParser
import Foundation
import OKX
import Postgres

/// `candlestack backfill --inst BTC-USDT --bar 1m --from 2024-01-01 [--to ...]`: enqueue a backfill.
struct Backfill: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Enqueue a backfill job (queue.enqueue('backfill', ...)) and print its id; a worker runs it.",
        discussion: """
        The range is half-open [from, to); to defaults to now. Only what is missing is fetched. \
        The job's unique key backfill:<inst>:<bar> keeps a second one from being queued while one is live: \
        the live job's id is printed instead.
        """)

    @OptionGroup var database: DatabaseOptions

    @Option(name: .customLong("inst"), help: "OKX instrument id, e.g. BTC-USDT.")
    var inst: String

    @Option(help: "Bar: 1m, 5m, 1H, 1D, ...")
    var bar: String

    @Option(help: "Start (inclusive): 2024-01-01, 2024-01-01T12:00:00Z or Unix ms.")
    var from: String

    @Option(help: "End (exclusive), same forms; default now.")
    var to: String?

    func validate() throws {
        guard inst.range(of: #"^[A-Z0-9]+(-[A-Z0-9]+){1,3}$"#, options: .regularExpression) != nil else {
            throw ValidationError("--inst must be an OKX instrument id such as BTC-USDT or BTC-USDT-SWAP; got \(inst)")
        }
        guard Bar(rawValue: bar) != nil else {
            throw ValidationError("--bar must be one of \(Bar.allCases.map(\.rawValue).joined(separator: ", ")); got \(bar)")
        }
        guard let f = CLITime.parseMs(from) else { throw ValidationError("--from must be a date, an ISO 8601 time or Unix ms; got \(from)") }
        if let to {
            guard let t = CLITime.parseMs(to) else { throw ValidationError("--to must be a date, an ISO 8601 time or Unix ms; got \(to)") }
            guard f < t else { throw ValidationError("--from must be before --to; got \(from) and \(to)") }
        }
    }

    func run() throws {
        var payload: [String: Any] = ["inst_id": inst, "bar": bar, "from": CLITime.payload(CLITime.parseMs(from)!)]
        if let to { payload["to"] = CLITime.payload(CLITime.parseMs(to)!) }
        let connection = try database.connect()
        defer { connection.close() }
        do {
            let row = try connection.query("""
                select id, status, payload::text as payload from queue.enqueue('backfill', $1::jsonb, unique_key => $2)
                """, [try JSONText(object: payload), "backfill:\(inst):\(bar)"]).first
            print("job \(try row?.int64("id") ?? 0) \(try row?.string("status") ?? "") backfill \(try row?.string("payload") ?? "")")
        } catch let error as PostgresError {
            throw CLIError(error.sqlState.map { "\(error.message) (SQLSTATE \($0))" } ?? error.message)
        }
    }
}
