// Job kind maintain_partitions: the monthly partitions of market.candles and market.mark_index_candles made ahead of time.

import Postgres

/// `maintain_partitions` {"months_ahead"}: market.maintain_candle_partitions($1), run daily by the
/// schedule of the same name (sql/0317), so no ingest ever creates a partition at a month boundary,
/// of trade candles or of mark/index candles.
public struct MaintainPartitionsHandler: JobHandler {
    public static let kind = "maintain_partitions"

    public init() {}

    public func run(_ job: Job, _ context: JobContext) async throws -> JSONText? {
        struct Payload: Decodable { var monthsAhead: Int? }
        let monthsAhead = try job.payload(as: Payload.self).monthsAhead ?? 3
        let r = try await context.database.query("select market.maintain_candle_partitions($1) as created", [monthsAhead])
        let created = try r.first?.int("created") ?? 0
        try await context.progress(1, "\(created) partitions created")
        return try JSONText(object: ["months_ahead": monthsAhead, "created": created] as [String: Any])
    }
}
