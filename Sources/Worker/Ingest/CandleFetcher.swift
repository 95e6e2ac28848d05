// CandleFetcher: fills gaps of one series from OKX, walking back page by page with `after`,
// writing every few pages, so that an interrupted job leaves whole pages stored and the next
// attempt's market.gaps starts where it stopped. An empty page is the end of OKX's history only
// once confirmed; a page malformed the same way on every try fails the job for good, after the
// pages before it are stored.

import CivilTime
import Foundation
import Logging
import OKX
import Postgres

/// Counters of one fill, shared by the endpoint tasks.
final class FillProgress: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var missing: Int64
    private(set) var stored: Int64 = 0
    private(set) var counts = UpsertCounts()
    private(set) var pages: [String: Int] = [:]
    /// Bars in the whole range (stored before the job, missing, or fetched now).
    let total: Int64

    init(missing: Int64, total: Int64) { self.missing = missing; self.total = max(total, missing) }

    /// The fraction of the range covered: what was stored before plus what this job stored.
    func covered(stored: Int64) -> Double {
        total > 0 ? min(1, Double(total - missing + stored) / Double(total)) : 1
    }

    func page(_ endpoint: OKXEndpoint) { lock.withLock { pages[endpoint.rawValue, default: 0] += 1 } }

    func add(_ c: UpsertCounts, rows: Int) -> (Int64, Int64) {
        lock.withLock {
            counts.inserted += c.inserted; counts.updated += c.updated; counts.unchanged += c.unchanged
            stored += Int64(rows)
            return (stored, missing)
        }
    }

    var snapshot: (UpsertCounts, [String: Int], Int64) { lock.withLock { (counts, pages, stored) } }
}

struct CandleFetcher: Sendable {
    let okx: OKXClient
    let context: JobContext
    let instId: String
    let bar: Bar
    /// Pages per write (300 rows each).
    var pagesPerWrite = 5
    /// Extra tries of a page whose answer was malformed (stores nothing from it), after waits of
    /// `retryDelayMs`, doubled each time.
    var malformedRetries = 3
    /// Extra tries of an empty history page while the cursor is newer than the instrument's
    /// listTime, before the emptiness is taken as the start of OKX's history.
    var emptyRetries = 3
    /// The first wait before asking a page again (empty or malformed); doubled at each try.
    var retryDelayMs: Int64 = 250
    /// The instrument's listing time (market.instruments.list_time), when known: no candle is
    /// older, so an empty page at or before it is the end at once.
    var listTimeMs: Int64? = nil

    private var logger: Logger { context.logger }

    /// Fetches every gap; the newest 1,440 bars from /market/candles (its own budget) alongside
    /// the older ones from /market/history-candles.
    func fill(_ gaps: [CandleGap], serverNowMs: Int64, progress: FillProgress) async throws {
        // /market/candles serves the latest 1,440 bars; keep a margin of a few bars.
        var recentFloor = bar.start(of: serverNowMs)
        for _ in 0..<1430 { recentFloor = bar.previous(before: recentFloor) }
        var recent: [CandleGap] = []
        var history: [CandleGap] = []
        // 1s candles exist on /history-candles only.
        if bar == .s1 { recentFloor = Int64.max }
        for g in gaps {
            if g.toMs > recentFloor { recent.append(CandleGap(fromMs: max(g.fromMs, recentFloor), toMs: g.toMs, missing: 0)) }
            if g.fromMs < recentFloor { history.append(CandleGap(fromMs: g.fromMs, toMs: min(g.toMs, recentFloor), missing: 0)) }
        }
        let recentGaps = recent, historyGaps = history
        try await withThrowingTaskGroup(of: Void.self) { group in
            if !recentGaps.isEmpty {
                group.addTask {
                    for g in recentGaps.reversed() { try await walk(g, endpoint: .candles, progress: progress) }
                }
            }
            if !historyGaps.isEmpty {
                group.addTask {
                    for g in historyGaps.reversed() { try await walk(g, endpoint: .historyCandles, progress: progress) }
                }
            }
            try await group.waitForAll()
        }
    }

    /// Walks one gap [fromMs, toMs) back from its end. /market/candles falls back to
    /// history-candles once it has nothing older.
    private func walk(_ gap: CandleGap, endpoint start: OKXEndpoint, progress: FillProgress) async throws {
        var endpoint = start
        var after = gap.toMs
        var buffer: [Candle] = []
        var pagesInBuffer = 0
        var pendingWrite: Task<Void, Error>? = nil

        func flush() async throws {
            if let pendingWrite { try await pendingWrite.value }
            pendingWrite = nil
            if buffer.isEmpty { return }
            let rows = Candle.deduplicatedAndSorted(buffer)
            buffer.removeAll(keepingCapacity: true)
            pagesInBuffer = 0
            let (instId, bar, database, context) = (self.instId, self.bar, context.database, context)
            pendingWrite = Task {
                let counts = try await CandleStore.write(rows, instId: instId, bar: bar, database: database)
                let (stored, missing) = progress.add(counts, rows: rows.count)
                let fraction = progress.covered(stored: stored)
                try await context.progress(fraction, "\(stored) of \(missing) missing candles stored (\(instId) \(bar.rawValue))")
            }
        }

        var emptyAnswers = 0
        do {
            while true {
                try context.checkCancellation()
                let page = try await fetch(endpoint, after: after)
                progress.page(endpoint)
                if page.isEmpty {
                    if endpoint == .candles { endpoint = .historyCandles; continue }
                    emptyAnswers += 1
                    let beforeListing = listTimeMs.map { after <= $0 } ?? false
                    if !beforeListing && emptyAnswers <= emptyRetries {
                        // OKX answers "0" with no rows now and then: not the end until confirmed.
                        let delay = retryDelayMs << (emptyAnswers - 1)
                        logger.notice("okx answered an empty page, asking again", metadata: [
                            "inst.id": "\(instId)", "bar": "\(bar.rawValue)", "okx.after": "\(UTCTime.iso(ms: after))",
                            "okx.empty_answers": "\(emptyAnswers)", "okx.delay_ms": "\(delay)"])
                        try await Task.sleep(for: .milliseconds(delay))
                        continue
                    }
                    // Nothing older than `after`, confirmed: OKX's history of this series starts there.
                    try await CandleStore.noteHistoryStart(instId: instId, bar: bar, firstMs: after, database: context.database)
                    logger.info("okx has no older candles", metadata: [
                        "inst.id": "\(instId)", "bar": "\(bar.rawValue)", "okx.first_ts": "\(UTCTime.iso(ms: after))",
                        "okx.confirmed_by": beforeListing ? "list_time" : "\(emptyAnswers) empty answers"])
                    break
                }
                emptyAnswers = 0
                buffer.append(contentsOf: page.filter { $0.ts >= gap.fromMs && $0.ts < gap.toMs })
                pagesInBuffer += 1
                let oldest = page.map(\.ts).min()!
                if oldest <= gap.fromMs || oldest >= after { break }
                after = oldest
                if pagesInBuffer >= pagesPerWrite { try await flush() }
            }
            try await flush()
            if let pendingWrite { try await pendingWrite.value }
        } catch {
            // Keep what was fetched in whole pages before the failure: it is sound, and the next
            // attempt (or the operator, after a permanent failure) then starts at the failed page.
            do {
                try await flush()
                if let pendingWrite { try await pendingWrite.value }
            } catch let writeError {
                logger.warning("could not store the pages fetched before a failure", metadata: [
                    "inst.id": "\(instId)", "bar": "\(bar.rawValue)", "error": "\(writeError)"])
            }
            throw error
        }
    }

    /// One page, newest first. A malformed answer is asked again a few times with growing waits;
    /// a row malformed the same way every time fails the job for good (asking later cannot help).
    private func fetch(_ endpoint: OKXEndpoint, after: Int64) async throws -> [Candle] {
        var attempt = 0
        var first: OKXError? = nil
        var sameEveryTime = true
        let what = "\(endpoint.rawValue) \(instId) \(bar.rawValue) after \(UTCTime.iso(ms: after))"
        while true {
            do {
                if endpoint == .candles {
                    return try await okx.candles(instId: instId, bar: bar, after: after, limit: OKXClient.maxCandleLimit)
                }
                return try await okx.historyCandles(instId: instId, bar: bar, after: after, limit: OKXClient.maxCandleLimit)
            } catch let error as OKXError {
                guard case .malformed = error else { throw IngestErrors.classify(error, what: what) }
                if let first { sameEveryTime = sameEveryTime && first == error } else { first = error }
                guard attempt < malformedRetries else {
                    // A bad row, the same on every try, is in OKX's data: only a row-level fault
                    // fails for good (an envelope that is not JSON may be a proxy's passing page).
                    if sameEveryTime, case .malformed(_, _?, _, _) = error {
                        throw JobFailure.permanent("\(what): \(error) (the same on all \(attempt + 1) tries)")
                    }
                    throw IngestErrors.classify(error, what: what)
                }
                attempt += 1
                let delay = retryDelayMs << (attempt - 1)
                logger.warning("okx answer malformed, page not stored, asking again", metadata: [
                    "okx.endpoint": "\(endpoint.rawValue)", "okx.after": "\(after)", "okx.delay_ms": "\(delay)",
                    "error": "\(error)"])
                try await Task.sleep(for: .milliseconds(delay))
            }
        }
    }
}

enum IngestErrors {
    /// OKX's answer as a job failure: unknown instruments and bad parameters are permanent,
    /// everything else (faults, malformed pages, exhausted retries) is worth another attempt.
    static func classify(_ error: OKXError, what: String) -> JobFailure {
        switch error {
        case .api(_, let code, _, _, _) where ["51001", "51000", "50014"].contains(code):
            return .permanent("\(what): \(error)")
        case .invalidArgument:
            return .permanent("\(what): \(error)")
        default:
            return .retryable("\(what): \(error)")
        }
    }
}
