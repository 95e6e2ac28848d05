// Faults that follow a candle cursor rather than a random draw: empty answers to the first
// requests of each cursor (`empty_first`), and a page malformed the same way on every request
// (`sticky_<data fault>`). Both are deterministic: no RNG is drawn for them.
import Foundation

/// One candle request's cursor: endpoint, series and paging parameters.
struct CursorKey: Hashable, Sendable {
    let endpoint: String
    let instId: String
    let bar: String
    let after: Int64?
    let before: Int64?
    let limit: Int

    var series: String { endpoint + " " + instId + " " + bar }
}

/// What the cursor faults make of one candle request.
enum CursorFault: Equatable {
    /// Answer code "0" with an empty `data`.
    case empty
    /// Rewrite the page with this data fault, always in the same row.
    case sticky(FaultKind)
}

extension FaultInjector {
    /// Counts the request of `key` and says which cursor fault, if any, applies to it.
    func cursorFault(_ key: CursorKey) -> CursorFault? {
        let c = current
        if c.emptyFirst == 0 && c.sticky.isEmpty { return nil }
        return withLock { () -> CursorFault? in
            let seen = cursorRequests[key, default: 0]
            cursorRequests[key] = seen + 1
            let ordinal: Int
            if let o = cursorOrdinals[key] {
                ordinal = o
            } else {
                ordinal = seriesCursors[key.series, default: 0] + 1
                seriesCursors[key.series] = ordinal
                cursorOrdinals[key] = ordinal
            }
            if seen < c.emptyFirst { return .empty }
            // Declaration order decides when two sticky faults name the same page.
            for kind in FaultKind.allCases where c.sticky[kind] == ordinal { return .sticky(kind) }
            return nil
        }
    }
}
