import ArgumentParser
import Foundation
import Postgres
import Worker

/// `candlestack report RUN --out FILE.html`: the self-contained HTML page of a stored run.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write the HTML report (metrics, equity and drawdown charts, trades) of a stored backtest run.",
        discussion: "RUN is a backtest.runs id (see bi.backtest_leaderboard or a job's result). The page needs no network."
    )

    @OptionGroup var database: DatabaseOptions

    @Argument(help: "backtest.runs id.")
    var runID: Int64

    @Option(name: .customLong("out"), help: "Output file, e.g. run.html ('-' for standard output).")
    var out: String

    func validate() throws {
        guard runID > 0 else { throw ValidationError("RUN must be a positive run id, got \(runID)") }
        guard !out.isEmpty else { throw ValidationError("--out must name a file") }
    }

    func run() throws {
        let connection = try database.connect()
        defer { connection.close() }
        let html: String
        do { html = try RunReport.html(connection, runID: runID) } catch let error as PostgresError {
            throw CLIError(error.description)
        }
        if out == "-" { print(html); return }
        do { try html.write(toFile: out, atomically: true, encoding: .utf8) } catch {
            throw CLIError("cannot write --out \(out): \(error.localizedDescription)")
        }
        print(out)
    }
}
