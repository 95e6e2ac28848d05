import ArgumentParser
import OKX

/// Readers of the instrument and bar flags every command shares (`@Option(transform:)`): a value
/// they refuse ends the command with one line naming the flag and what was expected.
enum SeriesInput {
    struct Refused: Error, CustomStringConvertible {
        var description: String
    }

    /// `--inst`: an OKX instrument id (InstrumentID, the Swift copy of SQL's market.is_inst_id).
    static func instrument(_ text: String) throws -> String {
        guard InstrumentID.isWellFormed(text) else { throw Refused(description: "expected \(InstrumentID.expected)") }
        return text
    }

    /// `--bar`: one of OKX's bars, case-sensitive.
    static func bar(_ text: String) throws -> Bar {
        guard let bar = Bar(rawValue: text) else {
            throw Refused(description: "expected one of \(Bar.allCases.map(\.rawValue).joined(separator: ", ")) (case-sensitive: 1m is a minute, 1M a month)")
        }
        return bar
    }
}

extension Bar: ExpressibleByArgument {
    public init?(argument: String) { self.init(rawValue: argument) }
    public var defaultValueDescription: String { rawValue }
}
