// Job kinds sync_instruments, sync_tickers and refresh_views.

import Foundation
import Logging
import OKX
import Postgres

func instrumentType(_ job: Job) throws -> OKXInstrumentType {
    struct Payload: Decodable { var instType: String? }
    let name = try job.payload(as: Payload.self).instType ?? "SPOT"
    guard let type = OKXInstrumentType(rawValue: name) else {
        throw JobFailure.permanent("\(job.kind) job \(job.id): inst_type \(name) is not an OKX instrument type")
    }
    return type
}

/// `sync_instruments` {"inst_type", "inst_family"?}: GET /public/instruments (with instFamily,
/// which OKX requires for OPTION) into market.upsert_instruments.
public struct SyncInstrumentsHandler: JobHandler {
    public static let kind = "sync_instruments"
    let okx: OKXClient

    public init(okx: OKXClient) { self.okx = okx }

    /// What one job asks OKX for.
    struct Request: Equatable {
        var type: OKXInstrumentType
        var family: String?
    }

    static func request(_ job: Job) throws -> Request {
        struct Payload: Decodable { var instFamily: String? }
        let type = try instrumentType(job)
        let family = try job.payload(as: Payload.self).instFamily
        if type == .option && family == nil {
            throw JobFailure.permanent(
                "sync_instruments job \(job.id): inst_type OPTION needs \"inst_family\" (e.g. BTC-USD): OKX serves options per instFamily")
        }
        return Request(type: type, family: family)
    }

    /// The instruments OKX lists for the job's type (and family).
    func fetch(_ job: Job) async throws -> (Request, [OKXInstrument]) {
        let request = try Self.request(job)
        let what = "instruments \(request.type.rawValue)" + (request.family.map { " \($0)" } ?? "")
        do {
            return (request, try await okx.instruments(type: request.type, instFamily: request.family))
        } catch let error as OKXError {
            throw IngestErrors.classify(error, what: what)
        }
    }

    public func run(_ job: Job, _ context: JobContext) async throws -> JSONText? {
        try await context.progress(0, "fetching instruments")
        let (request, instruments) = try await fetch(job)
        let array = "[" + instruments.map(\.rawJSON).joined(separator: ",") + "]"
        // Also disables the watchlist entries of instruments it finds delisted (disabled_entries).
        let r = try await context.database.query("select * from market.upsert_instruments($1, $2::jsonb, $3)",
                                                 [request.type.rawValue, JSONText(array), request.family])
        let row = r.first
        var result: [String: Any] = [
            "inst_type": request.type.rawValue, "received": instruments.count,
            "inserted": try row?.int("inserted") ?? 0, "updated": try row?.int("updated") ?? 0,
            "delisted": try row?.int("delisted") ?? 0, "disabled_entries": try row?.int("disabled_entries") ?? 0,
        ]
        if let family = request.family { result["inst_family"] = family }
        try await context.progress(1, "\(instruments.count) instruments")
        return try JSONText(object: result)
    }
}

/// `sync_tickers` {"inst_type"}: GET /market/tickers into market.upsert_tickers.
public struct SyncTickersHandler: JobHandler {
    public static let kind = "sync_tickers"
    let okx: OKXClient

    public init(okx: OKXClient) { self.okx = okx }

    public func run(_ job: Job, _ context: JobContext) async throws -> JSONText? {
        let type = try instrumentType(job)
        let tickers: [OKXTicker]
        do {
            tickers = try await okx.tickers(type: type)
        } catch let error as OKXError {
            throw IngestErrors.classify(error, what: "tickers \(type.rawValue)")
        }
        let array = "[" + tickers.map(\.rawJSON).joined(separator: ",") + "]"
        let r = try await context.database.query("select market.upsert_tickers($1::jsonb) as stored", [JSONText(array)])
        let stored = try r.first?.int("stored") ?? 0
        try await context.progress(1, "\(stored) tickers")
        return try JSONText(object: ["inst_type": type.rawValue, "received": tickers.count, "stored": stored] as [String: Any])
    }
}

/// `refresh_views` {}: market.refresh_views().
public struct RefreshViewsHandler: JobHandler {
    public static let kind = "refresh_views"

    public init() {}

    public func run(_ job: Job, _ context: JobContext) async throws -> JSONText? {
        let r = try await context.database.query("select * from market.refresh_views()")
        let names = try r.rows().compactMap { try $0.string("view_name") }
        try await context.progress(1, "\(names.count) views refreshed")
        return try JSONText(object: ["refreshed": names])
    }
}
