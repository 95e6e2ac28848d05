import Foundation
import Postgres

extension Status {
    /// The section of `candlestack status` that lists disabled watchlist entries (bi.watchlist):
    /// those of delisted instruments first, each with its reason.
    static func printDisabledWatchlist(_ c: Connection) throws {
        print("\ndisabled watchlist entries (bi.watchlist)")
        Table.print(try c.query("""
            select instrument, bar, instrument_status as status,
                   coalesce(to_char(disabled_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI'), '-') as disabled_at,
                   left(coalesce(disabled_reason, ''), 160) as reason
              from bi.watchlist
             where not is_enabled
             order by instrument_status = 'listed', disabled_at desc nulls last, instrument, bar
             limit 50
            """), empty: "none")
    }
}
