import OKX

/// OKX request counters of this process, as Prometheus text lines.
enum OKXMetrics {
    static func lines(_ stats: OKXStats) -> [String] {
        let snapshot = stats.snapshot().sorted { $0.key.rawValue < $1.key.rawValue }
        var lines: [String] = []
        let families: [(String, String, (OKXStats.Counters) -> Int)] = [
            ("candlestack_okx_requests_total", "HTTP requests sent to OKX (every attempt), by endpoint.", { $0.requests }),
            ("candlestack_okx_refusals_total", "OKX rate-limit refusals (HTTP 429 or code 50011), by endpoint.", { $0.refusals }),
            ("candlestack_okx_retries_total", "Retries after a retryable OKX failure, by endpoint.", { $0.retries }),
            ("candlestack_okx_failures_total", "OKX calls that failed for good after retries, by endpoint.", { $0.failures }),
        ]
        for (name, help, value) in families {
            lines.append("# HELP \(name) \(help)")
            lines.append("# TYPE \(name) counter")
            for (endpoint, counters) in snapshot {
                lines.append("\(name){endpoint=\"\(endpoint.rawValue)\"} \(value(counters))")
            }
        }
        return lines
    }
}
