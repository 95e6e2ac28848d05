import Foundation

/// Where the repository and the built executables are, for tests.
public enum Paths {
    /// The repository root (this file is Tests/TestSupport/Paths.swift).
    public static let repository: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    public static func script(_ name: String) -> String { repository.appendingPathComponent("scripts/\(name)").path }

    /// The folder holding the test bundle, where SwiftPM also puts the package's executables.
    public static let products: URL = {
        if let dir = ProcessInfo.processInfo.environment["CANDLESTACK_BIN_DIR"], !dir.isEmpty {
            return URL(fileURLWithPath: dir)
        }
        var url = URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath()
        // swift test runs .build/<config>/candlestackPackageTests.xctest (a file on Linux).
        while url.pathComponents.count > 1 && !FileManager.default.fileExists(atPath: url.appendingPathComponent("candlestack").path) {
            let parent = url.deletingLastPathComponent()
            if parent.path == url.path { break }
            url = parent
        }
        return url
    }()

    /// A built executable of this package (candlestack, okx-sim).
    public static func executable(_ name: String) -> String { products.appendingPathComponent(name).path }

    /// Headless Chromium for page tests, or nil when none is installed (scripts/setup installs
    /// Debian's chromium; tests that need it are disabled with that reason rather than passing empty).
    public static let chromium: String? = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }
}
