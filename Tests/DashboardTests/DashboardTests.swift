import Foundation
import Postgres
import Testing
import TestSupport

/// `candlestack serve` as a candlestack_bi login on a database with stored backtests: every page
/// and its JSON twin answer with the rows the bi views hold, under the security headers.
@Suite("dashboard pages")
struct DashboardTests {
    @Test("every page and API route answers 200 under a candlestack_bi login, with the security headers")
    func everyRouteAnswers() async throws {
        let f = try await DashboardFixture.shared.value
        let paths = ["/", "/coins", "/coins/BTC-USDT", "/activity", "/backtests", "/backtests?kind=optimize", "/strategies",
                     "/runs/\(f.backtestRun)", "/runs/\(f.optimizeRun)", "/runs/\(f.walkForwardRun)", "/jobs/\(f.jobID)",
                     "/optimizations/\(f.optimizeRun)", "/walk-forward/\(f.walkForwardRun)"]
        for path in paths {
            for target in [path, "/api" + (path == "/" ? "" : path)] {
                let a = try f.get(target)
                #expect(a.status == 200, "\(target): \(a.status) \(a.body.prefix(200))")
                #expect(a.headers["content-security-policy"]?.contains("frame-ancestors 'none'") == true, "\(target) CSP")
                #expect(a.headers["content-security-policy"]?.contains("unsafe") == false, "\(target) CSP allows nothing unsafe")
                #expect(a.headers["x-frame-options"] == "DENY", "\(target)")
                #expect(a.headers["x-content-type-options"] == "nosniff", "\(target)")
                #expect(a.headers["referrer-policy"] == "no-referrer", "\(target)")
            }
        }
        let css = try f.get("/static/dashboard.css"), js = try f.get("/static/dashboard.js")
        #expect(css.status == 200 && js.status == 200)
    }

    @Test("the JSON twins return the rows of the bi views")
    func jsonRows() async throws {
        let f = try await DashboardFixture.shared.value
        let runs = try #require(try f.get("/api/backtests").json()["runs"] as? [[String: Any]])
        #expect(runs.count == 1 && (runs.first?["run_id"] as? Int).map(Int64.init) == f.backtestRun, "backtest kind only")
        let optimize = try #require(try f.get("/api/backtests?kind=optimize").json()["runs"] as? [[String: Any]])
        #expect(optimize.count == 1 && (optimize.first?["run_id"] as? Int).map(Int64.init) == f.optimizeRun)
        let run = try f.get("/api/runs/\(f.backtestRun)").json()
        let trades = try #require(run["trades"] as? [[String: Any]])
        #expect("\(trades.count)" == (try f.scalar("select count(*) from bi.backtest_trades where run_id = $1", [f.backtestRun])))
        let equity = try #require(run["equity"] as? [[String: Any]])
        #expect("\(equity.count)" == (try f.scalar("select count(*) from bi.backtest_equity where run_id = $1", [f.backtestRun])))
        let candles = try #require(run["candles"] as? [[String: Any]])
        #expect(candles.count > 100 && candles.count <= 800, "candles folded into at most 800 buckets, got \(candles.count)")
        let total = candles.compactMap { ($0["candle_count"] as? Int) }.reduce(0, +)
        #expect("\(total)" == (try f.scalar("select candle_count from bi.backtest_runs where run_id = $1", [f.backtestRun])), "every candle of the run is in a bucket")
        let engines = try #require(try f.get("/api/strategies").json()["engines"] as? [[String: Any]])
        #expect("\(engines.count)" == (try f.scalar("select count(*) from bi.strategy_engines")))
        let named = try #require(try f.get("/api/strategies").json()["strategies"] as? [[String: Any]])
        #expect(named.first?["name"] as? String == "dash-sma")
        let combos = try #require(try f.get("/api/optimizations/\(f.optimizeRun)").json()["combinations"] as? [[String: Any]])
        #expect(combos.count == 9)
        let windows = try #require(try f.get("/api/walk-forward/\(f.walkForwardRun)").json()["windows"] as? [[String: Any]])
        #expect("\(windows.count)" == (try f.scalar("select count(*) from bi.walk_forward_results where run_id = $1", [f.walkForwardRun])))
        let jobs = try #require(try f.get("/api/activity").json()["jobs"] as? [[String: Any]])
        #expect(jobs.count == 4 && (jobs.first?["job_id"] as? Int).map(Int64.init) == f.jobID, "newest first")
        let queue = try #require(try f.get("/api").json()["queue"] as? [[String: Any]])
        #expect("\(queue.count)" == (try f.scalar("select count(*) from bi.queue_health")))
    }

    @Test("the run page shows the metrics with plain names and units, the charts and the trades")
    func runPage() async throws {
        let f = try await DashboardFixture.shared.value
        let html = try f.get("/runs/\(f.backtestRun)").body
        for needle in ["id=\"candle-chart\"", "class=\"candle\"", "class=\"entry long\"", "class=\"exit ", "id=\"equity-chart\"",
                       "id=\"drawdown-chart\"", "id=\"trades\"", "Maximum drawdown", "Sharpe ratio (annualised)",
                       "<span class=\"unit\">%</span>", "Fee per fill"] {
            #expect(html.contains(needle), "run page lacks \(needle)")
        }
        #expect(!html.contains("annualised_reliable</th>"), "raw metric names are not the labels")
        // The strategy's SMAs (fast 10, slow 30), computed by the engine's indicator code, over the candles.
        let candleSVG = html.components(separatedBy: "<svg id=\"candle-chart\"").last?.components(separatedBy: "</svg>").first ?? ""
        for name in ["SMA 10", "SMA 30"] {
            let drawn = candleSVG.contains("<path class=\"indicator\" data-name=\"\(name)\"")
            #expect(drawn, "candle chart lacks the \(name) line")
        }
        let path = candleSVG.components(separatedBy: "data-name=\"SMA 30\"").last?.components(separatedBy: " d=\"").dropFirst().first ?? ""
        #expect(path.components(separatedBy: " L").count > 100, "the SMA 30 line runs across the chart")
        #expect(try f.get("/api/runs/\(f.backtestRun)").json()["indicator_candles"] == nil, "the full-detail candles stay out of the JSON twin")
        let walkForward = try f.get("/runs/\(f.walkForwardRun)").body.contains("class=\"indicator\"")
        #expect(!walkForward, "no indicator lines for a walk-forward run (its parameters change per window)")
        // The trades table: one page (100 unless told), sorted by the database, with links to the other pages.
        let trades = Int(try f.scalar("select count(*) from bi.backtest_trades where run_id = $1", [f.backtestRun]) ?? "") ?? 0
        try #require(trades > 20, "the fixture run has more than one page of 20 trades: \(trades)")
        let rows = { (page: String) in
            page.components(separatedBy: "<table id=\"trades\"").last?.components(separatedBy: "</table>").first?
                .components(separatedBy: "<tr>").count ?? 0
        }
        #expect(rows(html) - 2 == min(trades, 100), "at most 100 trades on the default page")
        let paged = try f.get("/runs/\(f.backtestRun)?trades_per_page=20").body
        #expect(rows(paged) - 2 == 20, "20 trades on a page of 20")
        #expect(paged.contains("trades 1 to 20 of \(trades)") && paged.contains("rel=\"next\" href=\"?trades_page=2&amp;trades_per_page=20#trades\""))
        let best = try f.scalar("select pnl from bi.backtest_trades where run_id = $1 order by pnl desc, n limit 1", [f.backtestRun]) ?? "?"
        let sorted = try f.get("/runs/\(f.backtestRun)?trades_sort=pnl&trades_order=desc").body
        let firstRow = sorted.components(separatedBy: "<table id=\"trades\"").last?.components(separatedBy: "<tbody>\n<tr>").dropFirst().first?
            .components(separatedBy: "</tr>").first ?? ""
        #expect(firstRow.contains("<td>\(best)</td>"), "sorted by pnl descending, the best trade first: \(firstRow.prefix(300))")
        let last = try f.get("/runs/\(f.backtestRun)?trades_per_page=20&trades_page=\((trades + 19) / 20)").body
        #expect(last.contains("of \(trades)") && !last.contains("rel=\"next\""), "the last page has no next link")
        let heat = try f.get("/optimizations/\(f.optimizeRun)").body
        #expect(heat.contains("id=\"heatmap\"") && heat.contains("class=\"cell best\"") && heat.components(separatedBy: "class=\"cell").count == 10)
        #expect(heat.contains("<a href=\"/runs/\(f.optimizeRun)\"><rect class=\"cell best\""), "the best cell links to its run")
    }

    @Test("the compare view draws up to four runs' equity curves on one chart; five are refused")
    func compareView() async throws {
        let f = try await DashboardFixture.shared.value
        let ids = [f.backtestRun, f.optimizeRun, f.walkForwardRun]
        let html = try f.get("/backtests?compare=" + ids.map(String.init).joined(separator: ",")).body
        let chart = html.components(separatedBy: "<svg id=\"compare-chart\"").dropFirst().first?.components(separatedBy: "</svg>").first ?? ""
        #expect(chart.components(separatedBy: "<polyline class=\"compare-line\"").count - 1 == 3, "one curve per run")
        for id in ids { let drawn = chart.contains("data-name=\"run \(id) "); #expect(drawn, "curve of run \(id)") }
        let tickable = html.contains("name=\"compare\" value=\"\(f.backtestRun)\" form=\"compare-form\"")
        #expect(tickable, "leaderboard rows can be ticked")
        let ticked = try f.get("/backtests?compare=\(f.backtestRun)&compare=\(f.optimizeRun)")
        let tickedCurves = ticked.body.components(separatedBy: "class=\"compare-line\"").count - 1
        #expect(ticked.status == 200 && tickedCurves == 2, "ticked checkboxes (repeated compare) work")
        let api = try f.get("/api/backtests?compare=\(f.backtestRun)").json()
        #expect(((api["compare"] as? [[String: Any]])?.count ?? 0) > 10, "the JSON twin has the compared equity rows")
        for (target, status) in [("/backtests?compare=1,2,3,4,5", 400), ("/backtests?compare=1,x", 400), ("/backtests?compare=987654321", 404)] {
            let a = try f.get(target)
            #expect(a.status == status && a.body.split(separator: "\n").count == 1, "\(target): \(a.status) \(a.body.prefix(200))")
        }
    }

    @Test("/coins shows a 24 h sparkline for a coin with stored 1m candles, none for a coin without")
    func coinSparklines() async throws {
        let f = try await DashboardFixture.shared.value
        let html = try f.get("/coins").body
        let rows = html.components(separatedBy: "<tr>")
        let btc = rows.first { $0.contains("/coins/BTC-USDT") } ?? "", eth = rows.first { $0.contains("/coins/ETH-USDT") } ?? ""
        let spark = btc.contains("<svg class=\"sparkline\"")
        #expect(spark, "BTC-USDT row has a sparkline")
        let points = btc.components(separatedBy: "points=\"").dropFirst().first?.components(separatedBy: "\"").first ?? ""
        #expect(points.split(separator: " ").count == 48, "48 buckets over 24 h")
        let ethListed = !eth.isEmpty, ethSpark = eth.contains("sparkline")
        #expect(ethListed && !ethSpark, "ETH-USDT has no candles, no sparkline")
    }

    @Test("bad requests get a 4xx with one line: unknown run, negative limit, bad date, 10 MB query, unknown page")
    func badRequests() async throws {
        let f = try await DashboardFixture.shared.value
        let huge = "/backtests?instrument=" + String(repeating: "x", count: 10 << 20)
        let cases: [(String, Int)] = [
            ("/runs/987654321", 404), ("/api/runs/987654321", 404), ("/runs/abc", 404), ("/runs/-3", 404),
            ("/backtests?limit=-1", 400), ("/api/backtests?limit=-1", 400), ("/activity?limit=abc", 400),
            ("/backtests?from=not-a-date", 400), ("/backtests?to=2024-02-30", 400), ("/backtests?kind=mixed", 400),
            ("/backtests?nope=1", 400), ("/coins?limit=1000000", 400), ("/nowhere", 404), ("/api/nowhere", 404),
            ("/optimizations/\(f.optimizeRun)?x=nope", 400), (huge, 414),
            ("/runs/\(f.backtestRun)?trades_sort=nope", 400), ("/runs/\(f.backtestRun)?trades_page=0", 400),
            ("/backtests?instrument=" + String(repeating: "y", count: 5000), 414),
        ]
        for (target, status) in cases {
            let a = try f.get(target)
            let shown = String(target.prefix(60))
            #expect(a.status == status, "\(shown): \(a.status) \(a.body.prefix(200))")
            let lines = a.body.split(separator: "\n")
            #expect(lines.count == 1 && lines[0].count < 300, "\(shown): one short line, got \(a.body.prefix(300))")
            #expect(!a.body.contains("Fatal") && !a.body.contains(".swift"), "\(shown): no stack trace")
        }
        // The server is still up and answering after all that.
        #expect(try f.get("/api/strategies").status == 200)
    }

    @Test("the bi login cannot change anything: writes are refused by the database")
    func biLoginIsReadOnly() async throws {
        let f = try await DashboardFixture.shared.value
        let c = try Connection("\(f.conninfo) user=\(f.login)")
        defer { c.close() }
        #expect(throws: PostgresError.self) { try c.query("select queue.cancel($1)", [f.jobID]) }
        #expect(throws: PostgresError.self) { try c.query("delete from backtest.runs") }
        #expect(try f.scalar("select status from queue.jobs where id = $1", [f.jobID]) == "queued")
        let post = try f.get("/backtests")   // the dashboard itself only serves GET
        #expect(post.status == 200)
    }
}
