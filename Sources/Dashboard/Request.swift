import Foundation

/// A request the dashboard refuses, with the HTTP status and ONE line saying why
/// (`limit: expected a whole number from 1 to 1000, got -1`). Never a stack trace.
public struct Refusal: Error, Sendable, Equatable {
    public var status: Int
    public var reason: String
    public init(_ status: Int, _ reason: String) { self.status = status; self.reason = reason }
    static func bad(_ reason: String) -> Refusal { Refusal(400, reason) }
    static func notFound(_ reason: String) -> Refusal { Refusal(404, reason) }
}

/// The query parameters of one request, checked: each accessor names the parameter and what it
/// expected. Unknown parameters are refused too, so a typo is not silently ignored.
public struct QueryParameters: Sendable {
    /// Longest query string accepted; longer ones get 414.
    public static let maxQueryLength = 4096
    private var values: [String: String]

    /// `repeatable` names may be given several times (ticked checkboxes); their values are joined by commas.
    public init(_ items: [(name: String, value: String)], allowed: Set<String>, repeatable: Set<String> = []) throws(Refusal) {
        var values: [String: String] = [:]
        for item in items {
            guard allowed.contains(item.name) else {
                let names = allowed.sorted().joined(separator: ", ")
                throw .bad("unknown query parameter \"\(Self.clip(item.name))\"; this page takes \(names.isEmpty ? "none" : names)")
            }
            if let earlier = values[item.name] {
                guard repeatable.contains(item.name) else { throw .bad("\(item.name): given twice") }
                values[item.name] = earlier + "," + item.value
                continue
            }
            values[item.name] = item.value
        }
        self.values = values
    }

    /// A whole number in `range`, or `fallback` when absent.
    public func int(_ name: String, in range: ClosedRange<Int>, default fallback: Int) throws(Refusal) -> Int {
        guard let text = values[name], !text.isEmpty else { return fallback }
        guard let v = Int(text), range.contains(v) else {
            throw .bad("\(name): expected a whole number from \(range.lowerBound) to \(range.upperBound), got \"\(Self.clip(text))\"")
        }
        return v
    }

    /// A UTC date `YYYY-MM-DD` (or timestamp `YYYY-MM-DDTHH:MM[:SS]Z`) as SQL timestamptz text.
    public func date(_ name: String) throws(Refusal) -> String? {
        guard let text = values[name], !text.isEmpty else { return nil }
        let pattern = #"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])(T([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?Z?)?$"#
        guard text.range(of: pattern, options: .regularExpression) != nil, Self.isRealDay(text) else {
            throw .bad("\(name): expected a date YYYY-MM-DD (UTC) or YYYY-MM-DDTHH:MMZ, got \"\(Self.clip(text))\"")
        }
        var t = text
        if t.hasSuffix("Z") { t.removeLast() }
        return t.replacingOccurrences(of: "T", with: " ") + "+00"
    }

    /// One of `choices`, or nil when absent.
    public func choice(_ name: String, _ choices: [String]) throws(Refusal) -> String? {
        guard let text = values[name], !text.isEmpty else { return nil }
        guard choices.contains(text) else {
            throw .bad("\(name): expected one of \(choices.joined(separator: ", ")), got \"\(Self.clip(text))\"")
        }
        return text
    }

    /// The raw text of `name`, or nil when absent (the caller checks it).
    public func text(_ name: String) -> String? { values[name] }

    /// A short identifier-like text (instrument, bar, engine, parameter name), or nil when absent.
    public func word(_ name: String) throws(Refusal) -> String? {
        guard let text = values[name], !text.isEmpty else { return nil }
        guard text.count <= 64, text.range(of: #"^[A-Za-z0-9_.-]+$"#, options: .regularExpression) != nil else {
            throw .bad("\(name): expected letters, digits, '-', '_' or '.' (at most 64), got \"\(Self.clip(text))\"")
        }
        return text
    }

    /// Day of month exists in that month (2024-02-30 is refused).
    static func isRealDay(_ text: String) -> Bool {
        let p = text.prefix(10).split(separator: "-").compactMap { Int($0) }
        guard p.count == 3 else { return false }
        let leap = (p[0] % 4 == 0 && p[0] % 100 != 0) || p[0] % 400 == 0
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return p[2] <= days[p[1] - 1]
    }

    /// At most 40 characters of user input, for messages.
    static func clip(_ s: String) -> String {
        let one = s.replacingOccurrences(of: "\n", with: " ")
        return one.count <= 40 ? one : String(one.prefix(40)) + "..."
    }
}

/// A positive id from a path segment (`/runs/12`), or a 404 naming what was asked for.
func pathID(_ segment: String, what: String) throws(Refusal) -> Int64 {
    guard let id = Int64(segment), id > 0 else {
        throw .notFound("\(what) id must be a positive whole number, got \"\(QueryParameters.clip(segment))\"")
    }
    return id
}
