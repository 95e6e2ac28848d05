// The maintain_partitions job (queued as its schedule queues it) makes the months ahead its payload asks for.

import Foundation
import Postgres
import TestSupport
import Testing
@testable import Worker

@Suite("job kind maintain_partitions")
struct MaintainPartitionsJobTests {
    @Test("a maintain_partitions job makes the partitions up to months_ahead")
    func makesMonthsAhead() async throws {
        let f = try await IngestFixture.make()
        defer { Task { await f.close() } }
        let (job, context) = try await f.enqueueAndClaim("maintain_partitions", #"{"months_ahead": 7}"#)
        let result = try await MaintainPartitionsHandler().run(job, context)?.text ?? ""
        #expect(result.contains("\"created\""), "result: \(result)")
        let ahead = try await f.database.query("""
            select to_regclass(format('market.%I', to_char(date_trunc('month', now() at time zone 'UTC') + interval '7 months',
                                                           '"candles_y"YYYY"m"MM'))) is not null as made
            """)
        #expect(try ahead.first?.bool("made") == true, "the partition 7 months ahead is missing")
        #expect(WorkerHandlers.kinds.contains(MaintainPartitionsHandler.kind))
    }
}
