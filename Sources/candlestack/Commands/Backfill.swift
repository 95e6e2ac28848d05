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

    @Option(name: .customLong("inst"), help: "OKX instrument id, e.g. BTC-USDT.", transform: SeriesInput.instrument)
    var inst: String

    @Option(help: "Bar: 1m, 5m, 1H, 1D, ...", transform: SeriesInput.bar)
    var bar: Bar

    @Option(help: "Start (inclusive): 2024-01-01, 2024-01-01T12:00Z, Unix s or ms, now-30d.", transform: CLITime.parse)
    var from: CLITime

    @Option(help: "End (exclusive), same forms; default now.", transform: CLITime.parse)
    var to: CLITime?

    func validate() throws {
        if let to, from.ms >= to.ms { throw ValidationError("--from must be before --to; got \(from) and \(to)") }
    }

    func run() throws {
        var payload: [String: Any] = ["inst_id": inst, "bar": bar.rawValue, "from": from.iso]
        if let to { payload["to"] = to.iso }
        let connection = try database.connect()
        defer { connection.close() }
        do {
            let row = try connection.query("""
                select id, status, payload::text as payload from queue.enqueue('backfill', $1::jsonb, unique_key => $2)
                """, [try JSONText(object: payload), "backfill:\(inst):\(bar.rawValue)"]).first
            print("job \(try row?.int64("id") ?? 0) \(try row?.string("status") ?? "") backfill \(try row?.string("payload") ?? "")")
        } catch let error as PostgresError {
            throw CLIError(error.sqlState.map { "\(error.message) (SQLSTATE \($0))" } ?? error.message)
        }
    }
}
