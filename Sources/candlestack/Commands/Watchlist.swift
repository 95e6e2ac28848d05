import ArgumentParser
import Foundation
import OKX
import Postgres

/// `candlestack watchlist add|list|remove`: what Candlestack keeps (market.watchlist).
struct Watchlist: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage market.watchlist: adding an entry queues its backfill and schedules its ingest.",
        subcommands: [Add.self, List.self, Remove.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add (or re-enable) an instrument and bar; prints the backfill job queued for it.")

        @OptionGroup var database: DatabaseOptions

        @Option(name: .customLong("inst"), help: "OKX instrument id, e.g. BTC-USDT.", transform: SeriesInput.instrument)
        var inst: String

        @Option(help: "Bar: 1m, 5m, 1H, 1D, ...", transform: SeriesInput.bar)
        var bar: Bar

        @Option(help: "Keep candles from this time on (a date, ISO 8601, Unix s or ms, now-90d); default: as far back as OKX has.",
                transform: CLITime.parse)
        var from: CLITime?

        func run() throws {
            let connection = try database.connect()
            defer { connection.close() }
            let fromText = from?.iso
            try cli {
                try connection.withTransaction {
                    _ = try connection.query("""
                        insert into market.watchlist (inst_id, bar, history_from) values ($1, $2, $3::timestamptz)
                        on conflict on constraint watchlist_pkey do update
                           set history_from = excluded.history_from, enabled = true
                        """, [inst, bar.rawValue, fromText])
                }
                let job = try connection.query("""
                    select j.id, j.status from queue.jobs as j
                     where j.unique_key = 'backfill:' || $1 || ':' || $2 order by j.id desc limit 1
                    """, [inst, bar.rawValue]).first
                print("watching \(inst) \(bar.rawValue) from \(fromText ?? "the start of OKX's history")"
                      + (job.map { "; backfill job \((try? $0.int64("id")).flatMap { $0 } ?? 0) \((try? $0.string("status")).flatMap { $0 } ?? "")" } ?? ""))
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the watchlist with the newest stored candle of each entry.")

        @OptionGroup var database: DatabaseOptions

        func run() throws {
            let connection = try database.connect()
            defer { connection.close() }
            try cli {
                Table.print(try connection.query("""
                    select w.inst_id, w.bar, coalesce(to_char(w.history_from, 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), '-') as history_from,
                           w.enabled,
                           coalesce((select to_char(max(c.ts), 'YYYY-MM-DD"T"HH24:MI:SS"Z"') from market.candles as c
                                      where c.inst_id = w.inst_id and c.bar = w.bar), '-') as newest_candle,
                           coalesce((select j.status || ' ' || coalesce(round(j.progress * 100)::text || '%', '')
                                       from queue.jobs as j
                                      where j.kind = 'backfill' and j.unique_key = 'backfill:' || w.inst_id || ':' || w.bar
                                      order by j.id desc limit 1), '-') as backfill
                      from market.watchlist as w
                     order by w.inst_id, w.bar
                    """), empty: "(the watchlist is empty)")
            }
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove an entry (its ingest schedule goes too; stored candles stay). --disable pauses it instead.")

        @OptionGroup var database: DatabaseOptions

        @Option(name: .customLong("inst"), help: "OKX instrument id.", transform: SeriesInput.instrument)
        var inst: String

        @Option(help: "Bar.", transform: SeriesInput.bar)
        var bar: Bar

        @Flag(help: "Keep the row but disable it (enabled = false).")
        var disable = false

        func run() throws {
            let connection = try database.connect()
            defer { connection.close() }
            try cli {
                let result = disable
                    ? try connection.query("update market.watchlist set enabled = false where inst_id = $1 and bar = $2", [inst, bar.rawValue])
                    : try connection.query("delete from market.watchlist where inst_id = $1 and bar = $2", [inst, bar.rawValue])
                guard result.affectedRows > 0 else { throw CLIError("\(inst) \(bar.rawValue) is not on the watchlist") }
                print(disable ? "disabled \(inst) \(bar.rawValue)" : "removed \(inst) \(bar.rawValue)")
            }
        }
    }
}

/// Turns database errors into one-line CLI errors with their SQLSTATE.
private func cli(_ body: () throws -> Void) throws {
    do { try body() } catch let error as PostgresError {
        throw CLIError(error.sqlState.map { "\(error.message) (SQLSTATE \($0))" } ?? error.message)
    }
}
