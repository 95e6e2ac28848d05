// OKXClock: time and sleeping, injectable so that tests never wait.

/// A monotonic millisecond clock that can sleep. The client and `WindowRateLimiter` use it for
/// every wait, so tests substitute a virtual clock.
public protocol OKXClock: Sendable {
    /// Monotonic milliseconds (arbitrary origin).
    func nowMs() -> Int64
    /// Sleeps `ms` milliseconds; throws `CancellationError` when the task is cancelled.
    func sleep(ms: Int64) async throws
}

/// The real clock: `ContinuousClock` and `Task.sleep`.
public struct SystemOKXClock: OKXClock {
    private let origin: ContinuousClock.Instant

    public init() { origin = ContinuousClock.now }

    public func nowMs() -> Int64 {
        let d = ContinuousClock.now - origin
        return d.components.seconds * 1_000 + d.components.attoseconds / 1_000_000_000_000_000
    }

    public func sleep(ms: Int64) async throws {
        if ms > 0 { try await Task.sleep(for: .milliseconds(ms)) } else { try Task.checkCancellation() }
    }
}
