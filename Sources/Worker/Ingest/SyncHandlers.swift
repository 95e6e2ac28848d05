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

/// `sync_instruments` {"inst_type"}: GET /public/instruments into market.upsert_instruments.
public struct SyncInstrumentsHandler: JobHandler {
    public static let kind = "sync_instruments"
    let okx: OKXClient

    public init(okx: OKXClient) { self.okx = okx }

    public func run(_ job: Job, _ context: JobContext) async throws -> JSONText? {
        let type = try instrumentType(job)
        try await context.progress(0, "fetching \(type.rawValue) instruments")
        let instruments: [OKXInstrument]
        do {
            instruments = try await okx.instruments(type: type)
        } catch let error as OKXError {
            throw IngestErrors.classify(error, what: "instruments \(type.rawValue)")
        }
        let array = "[" + instruments.map(\.rawJSON).joined(separator: ",") + "]"
        // Also disables the watchlist entries of instruments it finds delisted (disabled_entries).
        let r = try await context.database.query("select * from market.upsert_instruments($1, $2::jsonb, $3)",
                                                 [type.rawValue, JSONText(array), nil as String?])
        let row = r.first
        let result: [String: Any] = [
            "inst_type": type.rawValue, "received": instruments.count,
            "inserted": try row?.int("inserted") ?? 0, "updated": try row?.int("updated") ?? 0,
            "delisted": try row?.int("delisted") ?? 0, "disabled_entries": try row?.int("disabled_entries") ?? 0,
        ]
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
