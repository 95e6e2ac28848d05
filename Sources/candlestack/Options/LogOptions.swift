import ArgumentParser
import Logging
import Worker

/// --log-level, shared by commands that log; logs are JSON lines on stderr.
struct LogOptions: ParsableArguments {
    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: String = "info"

    func validate() throws {
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical; got \"\(logLevel)\"")
        }
    }

    func makeLogger(_ label: String) -> Logger {
        let level = Logger.Level(rawValue: logLevel) ?? .info
        return Logger(label: label) { JSONLogHandler(label: $0, level: level) }
    }
}
