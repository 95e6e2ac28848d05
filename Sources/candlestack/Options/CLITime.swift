import ArgumentParser
import CivilTime
import Foundation

/// A time on the command line, read the same way by every command (backtest, backfill, fetch,
/// watchlist add): a date, an ISO 8601 time with or without seconds and offset (UTC when it has
/// none), Unix seconds or milliseconds, `now`, or `now` minus or plus a duration.
///
/// Declare options with `@Option(..., transform: CLITime.parse)`: a value it cannot read ends the
/// command with one line that names the flag and lists the accepted forms.
struct CLITime: ExpressibleByArgument, Sendable, Hashable, CustomStringConvertible {
    /// Unix milliseconds.
    let ms: Int64

    init(ms: Int64) { self.ms = ms }

    /// Numbers below this are Unix seconds, from it on Unix milliseconds (1e11 s is the year 5138;
    /// 1e11 ms is March 1973).
    static let millisecondsFrom: Int64 = 100_000_000_000

    static let forms = "a date (2024-01-01), an ISO 8601 time (2024-01-01T12:00, 2024-01-01T12:00:30Z, "
        + "2024-01-01 12:00+08:00; UTC when no offset is given), Unix seconds (1704067200) or milliseconds "
        + "(1704067200000), now, or now-7d / now+1h (units s, m, h, d, w)"

    struct Unreadable: Error, CustomStringConvertible {
        let text: String
        var description: String { "expected \(CLITime.forms)" }
    }

    /// The reader every time option uses (`transform:`); throws `Unreadable`.
    static func parse(_ text: String) throws -> CLITime {
        guard let t = CLITime(text: text, nowMs: UTCTime.nowMs()) else { throw Unreadable(text: text) }
        return t
    }

    init?(argument: String) { self.init(text: argument, nowMs: UTCTime.nowMs()) }

    /// Reads `text`; `nowMs` is what `now` means (a parameter so tests can fix it).
    init?(text raw: String, nowMs: Int64) {
        let text = raw.trimmingCharacters(in: .whitespaces)
        if text == "now" { self.init(ms: nowMs); return }
        if text.hasPrefix("now") {
            guard let offset = CLITime.duration(text.dropFirst(3)) else { return nil }
            self.init(ms: nowMs + offset); return
        }
        if !text.isEmpty, text.allSatisfy({ $0.isASCII && $0.isNumber }) {
            guard let n = Int64(text) else { return nil }
            self.init(ms: n < CLITime.millisecondsFrom ? n * 1000 : n); return
        }
        guard let ms = UTCTime.parseMs(text) else { return nil }
        self.init(ms: ms)
    }

    /// "+7d" / "-30m" as signed milliseconds.
    static func duration(_ s: Substring) -> Int64? {
        guard let sign = s.first, sign == "-" || sign == "+", let unit = s.last else { return nil }
        let digits = s.dropFirst().dropLast()
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let n = Int64(digits) else { return nil }
        let unitMs: Int64
        switch unit {
        case "s": unitMs = 1000
        case "m": unitMs = 60_000
        case "h": unitMs = 3_600_000
        case "d": unitMs = 86_400_000
        case "w": unitMs = 604_800_000
        default: return nil
        }
        let (v, overflow) = n.multipliedReportingOverflow(by: unitMs)
        guard !overflow else { return nil }
        return sign == "-" ? -v : v
    }

    /// The form job payloads and people read: "2024-01-01T00:00:00Z" (whole seconds), or with
    /// milliseconds when the time has a fraction ("2024-01-01T00:00:00.250Z").
    var iso: String {
        let whole = UTCTime.iso(ms: ms)
        let fraction = ((ms % 1000) + 1000) % 1000
        guard fraction != 0 else { return whole }
        let digits = String(fraction)
        return String(whole.dropLast()) + "." + String(repeating: "0", count: 3 - digits.count) + digits + "Z"
    }

    var description: String { iso }
}
