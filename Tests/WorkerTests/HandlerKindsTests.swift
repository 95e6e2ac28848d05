// WorkerHandlers.kinds (read from the handler types, nothing built) names exactly the kinds of the
// registry a worker runs, so `candlestack worker --kinds` validates against what really runs.

import Logging
import OKX
import Testing
import Worker

@Suite("worker: the kinds of this build")
struct HandlerKindsTests {
    @Test func theStaticListIsTheRegistrysKinds() {
        let okx = OKXClient(configuration: OKXConfiguration(rateLimiter: UnlimitedRateLimiter()),
                            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        #expect(WorkerHandlers.kinds == WorkerHandlers.all(okx: okx).kinds)
        #expect(WorkerHandlers.kinds.contains("backtest") && WorkerHandlers.kinds.contains("ingest"))
        #expect(Set(WorkerHandlers.kinds).count == WorkerHandlers.kinds.count, "a kind is listed twice")
    }
}
