import ArgumentParser

/// The `candlestack` command: one root, subcommands in Commands/.
@main
struct Candlestack: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "candlestack",
        abstract: "OKX market data in PostgreSQL: migrate the schema, run workers, enqueue and watch jobs.",
        subcommands: [Migrate.self, WorkerCommand.self, Enqueue.self, Status.self, Watch.self, Cancel.self, Rerun.self, Health.self,
                      BacktestCommand.self, ReportCommand.self, Fetch.self, Backfill.self, Watchlist.self]
    )
}
