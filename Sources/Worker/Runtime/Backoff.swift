/// Exponential backoff with jitter for reconnecting to the database.
struct Backoff {
    var attempt = 0
    let base: Double = 0.25
    let cap: Double = 10

    /// The next delay, growing 0.25 s, 0.5 s, 1 s ... up to 10 s, each with ±25% jitter.
    mutating func next() -> Duration {
        let raw = min(cap, base * Double(1 << min(attempt, 16)))
        attempt += 1
        return .milliseconds(Int(raw * Double.random(in: 0.75...1.25) * 1000))
    }

    mutating func reset() { attempt = 0 }
}
