// swift-tools-version:6.0
// Candlestack: OKX market data in PostgreSQL, thin Swift workers, backtests.
// Module map (see README "Layout"): CLibPQ is the only C shim and only Postgres imports it.
import PackageDescription

let package = Package(
    name: "candlestack",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "candlestack", targets: ["candlestack"]),
        .executable(name: "okx-sim", targets: ["okx-sim"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swhitty/FlyingFox", from: "0.27.1"),
        // WebSocket client (TLS through NIOSSL) for OKX's streaming sockets.
        .package(url: "https://github.com/hummingbird-project/swift-websocket", from: "1.6.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        // HMAC-SHA256 for the dashboard's CSRF tokens (already built for swift-websocket's TLS stack).
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
    ],
    targets: [
        // libpq, through pkg-config; Debian's libpq-dev provides it.
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        // Civil dates and UTC timestamp text: the one calendar algorithm. Pure, no dependencies.
        .target(name: "CivilTime"),
        // One small type for state shared between threads (Swift 6's Mutex behind a reference).
        .target(name: "Guarded"),
        // Thin Swift layer over libpq: connect, parameterized exec, COPY, LISTEN/NOTIFY.
        .target(name: "Postgres", dependencies: ["CLibPQ", "CivilTime", "Guarded"]),
        // Applies migrations/ and sql/ and records them in meta.
        .target(name: "Migrator", dependencies: ["Postgres"]),
        // OKX REST v5 market-data client: endpoints, decoding, rate limiter, retries.
        .target(name: "OKX", dependencies: ["CivilTime", "Guarded", .product(name: "Logging", package: "swift-log")], exclude: ["Stream"]),
        // OKX WebSocket v5 stream client: frames, subscribe batching, keepalive, push decoding. No database.
        .target(name: "OKXStream", dependencies: [
            "OKX", "CivilTime", "Guarded", .product(name: "Logging", package: "swift-log"),
            .product(name: "WSClient", package: "swift-websocket"), .product(name: "NIOSSL", package: "swift-nio-ssl"),
        ], path: "Sources/OKX/Stream"),
        // The simulated OKX market and its HTTP front (used by okx-sim and tests).
        .target(name: "OKXSim", dependencies: ["OKX", "CivilTime", .product(name: "FlyingFox", package: "FlyingFox")]),
        .executableTarget(name: "okx-sim", dependencies: [
            "OKXSim", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // Pure backtest engine: columns in, results out. No database, no network.
        .target(name: "Backtest", dependencies: ["Guarded"]),
        // Self-contained HTML report of a backtest run (inline SVG charts). Pure.
        .target(name: "BacktestReport", dependencies: ["Backtest"]),
        // The web dashboard (candlestack serve): pages and JSON over schema bi only.
        .target(name: "Dashboard", dependencies: [
            "Postgres", "Backtest", "BacktestReport", .product(name: "FlyingFox", package: "FlyingFox"),
            .product(name: "FlyingSocks", package: "FlyingFox"), .product(name: "Crypto", package: "swift-crypto"),
        ]),
        // Job runtime and job handlers.
        .target(name: "Worker", dependencies: [
            "Postgres", "OKX", "OKXStream", "CivilTime", "Guarded", "Backtest", "BacktestReport", .product(name: "Logging", package: "swift-log"),
        ]),
        .executableTarget(name: "candlestack", dependencies: [
            "Postgres", "Migrator", "Worker", "OKX", "OKXStream", "CivilTime", "Backtest", "BacktestReport", "Dashboard",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "FlyingFox", package: "FlyingFox"),
        ]),
        // Shared test fixtures: throwaway clusters, migrated databases, okx-sim processes.
        .target(name: "TestSupport", dependencies: ["Postgres", "Migrator"], path: "Tests/TestSupport"),

        // Benchmarks that need Swift code (the rest of bench/ is scripts).
        .executableTarget(name: "bench-backtest-engine", dependencies: ["Backtest"], path: "bench/backtest-engine"),
        .executableTarget(name: "bench-wakeup-floor", dependencies: ["Postgres"], path: "bench/wakeup-floor"),

        .testTarget(name: "CivilTimeTests", dependencies: ["CivilTime"]),
        // Rules that SQL and Swift both know (bar calendar, instrument ids), compared over sweeps.
        .testTarget(name: "RuleDriftTests", dependencies: ["OKX", "CivilTime", "Postgres", "TestSupport"]),
        .testTarget(name: "PostgresTests", dependencies: ["Postgres", "TestSupport"]),
        .testTarget(name: "MigratorTests", dependencies: ["Migrator", "TestSupport"]),
        .testTarget(name: "OKXTests", dependencies: ["OKX", "CivilTime"], exclude: ["Fixtures"]),
        .testTarget(name: "OKXSimTests", dependencies: ["OKXSim", "OKX", "TestSupport"]),
        .testTarget(name: "BacktestTests", dependencies: ["Backtest", "BacktestReport"]),
        .testTarget(name: "WorkerTests", dependencies: ["Worker", "OKX", "TestSupport", .product(name: "Logging", package: "swift-log")]),
        .testTarget(name: "ReliabilityTests", dependencies: ["Postgres", "TestSupport"]),
        .testTarget(name: "IngestTests", dependencies: ["Worker", "OKX", "OKXSim", "CivilTime", "TestSupport"]),
        // The OKX WebSocket stream: okx-sim's sockets, the client, the stream process against PostgreSQL.
        .testTarget(name: "StreamTests", dependencies: ["OKXStream", "OKX", "OKXSim", "Worker", "Postgres", "TestSupport"]),
        .testTarget(name: "DashboardTests", dependencies: ["Dashboard", "Worker", "Backtest", "Postgres", "TestSupport", .product(name: "Logging", package: "swift-log")]),
        .testTarget(name: "BacktestJobTests", dependencies: ["Worker", "Backtest", "BacktestReport", "TestSupport"]),
    ]
)
