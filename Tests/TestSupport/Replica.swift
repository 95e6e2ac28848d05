import Foundation

extension TestCluster {
    /// Starts a streaming replica of this cluster (scripts/db-replica: pg_basebackup -R -X stream,
    /// then a hot standby on its own port and socket directory). The caller must `stop()` it.
    public func startReplica() throws -> TestCluster {
        guard let directory else {
            throw Shell.ShellError(command: "scripts/db-replica", output: .init(status: 2, stdout: "", stderr: "not a private cluster"))
        }
        let output = try Shell.run(Paths.script("db-replica"), [directory])
        let values = Self.exports(output.stdout)
        guard let dir = values["CANDLESTACK_PGDIR"], let host = values["PGHOST"], let port = values["PGPORT"].flatMap(Int.init) else {
            throw Shell.ShellError(command: "scripts/db-replica", output: output)
        }
        return TestCluster(directory: dir, socketDirectory: host, port: port, owns: true)
    }

    /// `export KEY='value'` or `KEY='value'` lines printed by the scripts, as a dictionary.
    public static func exports(_ text: String) -> [String: String] {
        var values: [String: String] = [:]
        for raw in text.split(separator: "\n") {
            var line = Substring(raw)
            if line.hasPrefix("export ") { line = line.dropFirst(7) }
            guard let eq = line.firstIndex(of: "=") else { continue }
            values[String(line[..<eq])] = String(line[line.index(after: eq)...]).trimmingCharacters(in: CharacterSet(charactersIn: "'"))
        }
        return values
    }
}
