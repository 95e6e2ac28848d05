// EngineCatalog: the worker's start-up check that its build implements exactly the engines, the
// parameters and the options of SQL's one list (backtest.strategy_engines, engine_parameters and
// strategy_options, read through backtest.engine_catalog()). The ranges stay SQL's business (the
// validators refuse bad jobs before a worker sees them); StrategySpec re-checks them, and
// Tests/BacktestJobTests/EngineCatalogTests compares both rule sets value by value.

import Backtest
import Foundation
import Postgres

public enum EngineCatalog {
    /// The list as SQL holds it: engine -> parameter names in order, and the option names.
    public struct Listing: Sendable, Equatable {
        public var engines: [String: [String]]
        public var options: [String]
        public init(engines: [String: [String]], options: [String]) {
            self.engines = engines
            self.options = options
        }
    }

    /// What this build implements.
    public static var implemented: Listing {
        Listing(engines: Dictionary(uniqueKeysWithValues: Engine.allCases.map { ($0.rawValue, $0.parameterNames) }),
                options: [StrategySpec.stopLossKey, StrategySpec.takeProfitKey, StrategySpec.allowShortKey])
    }

    /// Reads backtest.engine_catalog() (a JSON document; see its COMMENT).
    public static func listing(from json: String) throws -> Listing {
        guard let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any],
              let engines = object["engines"] as? [[String: Any]], let options = object["options"] as? [[String: Any]]
        else { throw JobFailure.permanent("backtest.engine_catalog() answered something other than {\"engines\": [...], \"options\": [...]}") }
        var byName: [String: [String]] = [:]
        for engine in engines {
            guard let name = engine["engine"] as? String, let parameters = engine["parameters"] as? [[String: Any]] else {
                throw JobFailure.permanent("backtest.engine_catalog(): an engine without \"engine\" or \"parameters\"")
            }
            byName[name] = parameters.compactMap { $0["name"] as? String }
        }
        return Listing(engines: byName, options: options.compactMap { $0["name"] as? String })
    }

    /// Every way `database` and `build` disagree, one sentence each; empty when they agree.
    public static func differences(database: Listing, build: Listing = implemented) -> [String] {
        var out: [String] = []
        let onlyInSQL = Set(database.engines.keys).subtracting(build.engines.keys).sorted()
        let onlyInBuild = Set(build.engines.keys).subtracting(database.engines.keys).sorted()
        if !onlyInSQL.isEmpty {
            out.append("backtest.strategy_engines lists \(onlyInSQL.joined(separator: ", ")), which this worker does not implement")
        }
        if !onlyInBuild.isEmpty {
            out.append("this worker implements \(onlyInBuild.joined(separator: ", ")), which backtest.strategy_engines does not list")
        }
        for name in Set(database.engines.keys).intersection(build.engines.keys).sorted()
        where database.engines[name] != build.engines[name] {
            out.append("\(name) takes (\(database.engines[name]!.joined(separator: ", "))) in backtest.engine_parameters "
                       + "but (\(build.engines[name]!.joined(separator: ", "))) in this worker")
        }
        if Set(database.options) != Set(build.options) {
            out.append("backtest.strategy_options lists (\(database.options.sorted().joined(separator: ", "))) "
                       + "but this worker knows (\(build.options.sorted().joined(separator: ", ")))")
        }
        return out
    }

    /// Throws a permanent failure naming every difference between the database's list and this build.
    public static func verify(_ database: Database) async throws {
        let row = try await database.query("select backtest.engine_catalog()::text as catalog").first
        let listing = try listing(from: try row?.string("catalog") ?? "")
        let problems = differences(database: listing)
        guard problems.isEmpty else {
            throw JobFailure.permanent("the strategy engines of the database and of this worker differ: "
                                       + problems.joined(separator: "; ")
                                       + " (run candlestack migrate, or run a worker built from the same release)")
        }
    }
}
