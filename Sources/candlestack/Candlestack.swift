import ArgumentParser
import Foundation

/// The `candlestack` command: one root, subcommands in Commands/.
struct Candlestack: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "candlestack",
        abstract: "OKX market data in PostgreSQL: migrate the schema, run workers, enqueue and watch jobs.",
        subcommands: [Migrate.self, WorkerCommand.self, Enqueue.self, Status.self, Watch.self, Cancel.self, Rerun.self, Health.self,
                      BacktestCommand.self, ReportCommand.self, Fetch.self, Backfill.self, Watchlist.self, StreamCommand.self, Serve.self]
    )
}

/// Entry point: runs the command; a bad flag, date, bar or instrument ends with ONE line on stderr
/// that names the input (`candlestack: --bar must be one of ...`) and a non-zero exit, instead of
/// ArgumentParser's message plus usage block. `--help` and `--version` print as usual.
@main
enum Main {
    static func main() async {
        do {
            var command = try Candlestack.parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            let code = Candlestack.exitCode(for: error)
            if code == .success { Candlestack.exit(withError: error) }   // help, version
            let message = Candlestack.message(for: error)
                .split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                .joined(separator: " ")
            let text = message.hasPrefix("Error: ") ? String(message.dropFirst(7)) : message
            // A bare ExitCode (health, watch) has said why already: no empty "candlestack: " line.
            if !text.isEmpty { FileHandle.standardError.write(Data("candlestack: \(text)\n".utf8)) }
            Foundation.exit(code.rawValue)
        }
    }
}
