import Foundation
import Postgres
import Testing
import TestSupport

/// The operator actions (POST /backtests, /jobs/ID/cancel, /jobs/ID/rerun): shown and performed
/// under an operator login; hidden and refused by the database under a BI login; never without the
/// form's CSRF token; a bad value answered with a 4xx naming the field.
@Suite("dashboard actions")
struct ActionsTests {
    static let backtestForm: [(String, String)] = [
        ("engine", "sma_cross"), ("inst_id", "BTC-USDT"), ("bar", "1m"), ("from", "2024-01-01"), ("to", "2024-01-15"),
        ("fee_rate", ""), ("slippage_bps", ""), ("capital", "5000"),
        ("params.fast", "10"), ("params.slow", "30"), ("params.stop_loss_pct", "2"), ("params.take_profit_pct", ""),
    ]

    static func with(_ fields: [(String, String)], _ token: String) -> [(String, String)] { [("csrf", token)] + fields }

    @Test("an operator login queues a backtest from the form: the job row appears, validated")
    func operatorQueuesBacktest() async throws {
        let s = try await ActionServer.start(role: "candlestack_operator")
        defer { s.stop() }
        let page = try s.get("/backtests")
        #expect(page.body.contains("id=\"queue-sma_cross\""), "the operator sees the sma_cross form")
        let engines = Int(try s.scalar("select count(*) from bi.strategy_engines") ?? "") ?? -1
        #expect(page.body.components(separatedBy: "<form method=\"post\" action=\"/backtests\"").count - 1 == engines, "one form per engine")
        #expect(page.body.contains("name=\"params.slow\"") && page.body.contains("name=\"params.allow_short\""), "parameters and options from bi.strategy_parameters")
        let session = try s.session(from: "/backtests")
        let answer = try s.post("/backtests", Self.with(Self.backtestForm, session.token), cookie: session.cookie)
        #expect(answer.status == 303, "\(answer.status) \(answer.body.prefix(300))")
        let location = try #require(answer.headers["location"])
        let id = try #require(Int64(location.dropFirst("/jobs/".count)), "303 to the job page, got \(location)")
        #expect(try s.scalar("select kind || ' ' || status from queue.jobs where id = $1", [id]) == "backtest queued")
        #expect(try s.scalar("select created_by from queue.jobs where id = $1", [id]) == s.login, "queued by the dashboard's login")
        #expect(try s.scalar("select payload ->> 'engine' from queue.jobs where id = $1", [id]) == "sma_cross")
        #expect(try s.scalar("select (payload -> 'params' ->> 'fast')::numeric = 10 and (payload -> 'params' ->> 'stop_loss_pct')::numeric = 2 and (payload ->> 'capital')::numeric = 5000 from queue.jobs where id = $1", [id]) == "t",
                "the form's values")
        #expect(try s.scalar("select jsonb_typeof(payload -> 'params' -> 'fast') || ' ' || jsonb_typeof(payload -> 'capital') from queue.jobs where id = $1", [id]) == "number number",
                "numbers go in as JSON numbers")
        #expect(try s.scalar("select count(*) from queue.jobs where kind = 'backtest'") == "1")
        #expect(try s.get(location).status == 200, "the job page answers")
    }

    @Test("an operator login cancels a queued job and reruns it; a second rerun is refused with one line")
    func operatorCancelsAndReruns() async throws {
        let s = try await ActionServer.start(role: "candlestack_operator")
        defer { s.stop() }
        let id = try #require(Int64(try s.scalar("select id from queue.enqueue('noop', '{}'::jsonb)") ?? ""))
        let queued = try s.get("/jobs/\(id)")
        #expect(queued.body.contains("id=\"cancel-job\"") && !queued.body.contains("id=\"rerun-job\""), "a queued job offers cancel only")
        let session = try s.session(from: "/jobs/\(id)")
        let cancel = try s.post("/jobs/\(id)/cancel", [("csrf", session.token)], cookie: session.cookie)
        #expect(cancel.status == 303 && cancel.headers["location"] == "/jobs/\(id)", "\(cancel.status) \(cancel.body.prefix(200))")
        #expect(try s.scalar("select status from queue.jobs where id = $1", [id]) == "cancelled")
        let cancelled = try s.get("/jobs/\(id)")
        #expect(!cancelled.body.contains("id=\"cancel-job\"") && cancelled.body.contains("id=\"rerun-job\""), "a cancelled job offers rerun only")
        let rerun = try s.post("/jobs/\(id)/rerun", [("csrf", session.token)], cookie: session.cookie)
        #expect(rerun.status == 303, "\(rerun.status) \(rerun.body.prefix(200))")
        #expect(try s.scalar("select status || ' ' || attempts from queue.jobs where id = $1", [id]) == "queued 0")
        #expect(try s.scalar("select count(*) from queue.job_events where job_id = $1 and event = 'rerun' and message = 'by ' || $2", [id, s.login]) == "1")
        let again = try s.post("/jobs/\(id)/rerun", [("csrf", session.token)], cookie: session.cookie)
        #expect(again.status == 409 && again.isOneLine && again.body.contains("only succeeded, failed or cancelled"), "\(again.status) \(again.body.prefix(200))")
        let missing = try s.post("/jobs/987654321/cancel", [("csrf", session.token)], cookie: session.cookie)
        #expect(missing.status == 404 && missing.isOneLine, "\(missing.status) \(missing.body.prefix(200))")
    }

    @Test("a bi login sees no forms, and a forged POST with a valid token is refused by the database, changing nothing")
    func biLoginIsRefused() async throws {
        let s = try await ActionServer.start(role: "candlestack_bi", readOnly: true)
        defer { s.stop() }
        let id = try #require(Int64(try s.scalar("select id from queue.enqueue('noop', '{}'::jsonb)") ?? ""))
        let done = try #require(Int64(try s.scalar("select id from queue.enqueue('noop', '{}'::jsonb)") ?? ""))
        _ = try s.scalar("select queue.cancel($1)", [done])
        for path in ["/backtests", "/jobs/\(id)", "/jobs/\(done)", "/activity", "/"] {
            let page = try s.get(path)
            #expect(page.status == 200 && !page.body.contains("method=\"post\""), "\(path): no form under a bi login")
        }
        let count = "select (select count(*) from queue.jobs) || ' ' || (select count(*) from queue.job_events) || ' ' || (select string_agg(status, ',' order by id) from queue.jobs)"
        let before = try s.scalar(count)
        let session = try s.session(from: "/backtests")
        let forged: [(String, [(String, String)])] = [
            ("/backtests", Self.with(Self.backtestForm, session.token)),
            ("/jobs/\(id)/cancel", [("csrf", session.token)]), ("/jobs/\(done)/rerun", [("csrf", session.token)]),
        ]
        for (path, fields) in forged {
            let a = try s.post(path, fields, cookie: session.cookie)
            #expect(a.status == 403 && a.isOneLine && a.body.contains("permission denied"), "\(path): \(a.status) \(a.body.prefix(200))")
        }
        #expect(try s.scalar(count) == before, "jobs and events unchanged")
    }

    @Test("a POST without the CSRF token, with a wrong one, another browser's, or from another origin is refused")
    func csrfIsRequired() async throws {
        let s = try await ActionServer.start(role: "candlestack_operator")
        defer { s.stop() }
        let id = try #require(Int64(try s.scalar("select id from queue.enqueue('noop', '{}'::jsonb)") ?? ""))
        let mine = try s.session(from: "/jobs/\(id)"), other = try s.session(from: "/jobs/\(id)")
        #expect(mine.cookie != other.cookie && mine.token != other.token, "each browser gets its own cookie and token")
        let refused: [(String, [(String, String)], String?, String?)] = [
            ("no token", [], mine.cookie, nil),
            ("empty token", [("csrf", "")], mine.cookie, nil),
            ("wrong token", [("csrf", String(repeating: "0", count: 64))], mine.cookie, nil),
            ("another browser's token", [("csrf", other.token)], mine.cookie, nil),
            ("no cookie", [("csrf", mine.token)], nil, nil),
            ("another origin", [("csrf", mine.token)], mine.cookie, "http://evil.example"),
        ]
        for (what, fields, cookie, origin) in refused {
            let a = try s.post("/jobs/\(id)/cancel", fields, cookie: cookie, origin: origin)
            #expect(a.status == 403 && a.isOneLine, "\(what): \(a.status) \(a.body.prefix(200))")
            let b = try s.post("/backtests", fields + Self.backtestForm, cookie: cookie, origin: origin)
            #expect(b.status == 403, "\(what) (backtest): \(b.status) \(b.body.prefix(200))")
        }
        #expect(try s.scalar("select status from queue.jobs where id = $1", [id]) == "queued", "nothing was cancelled")
        #expect(try s.scalar("select count(*) from queue.jobs") == "1", "nothing was queued")
        // The very same request with the token goes through (the refusals above were the token's doing).
        let ok = try s.post("/jobs/\(id)/cancel", [("csrf", mine.token)], cookie: mine.cookie, origin: "http://127.0.0.1:\(s.port)")
        #expect(ok.status == 303, "\(ok.status) \(ok.body.prefix(200))")
    }

    @Test("a bad value gets a 4xx with one line naming the field, and queues nothing")
    func badValuesNameTheField() async throws {
        let s = try await ActionServer.start(role: "candlestack_operator")
        defer { s.stop() }
        let session = try s.session(from: "/backtests")
        func replacing(_ name: String, _ value: String) -> [(String, String)] {
            Self.with(Self.backtestForm.map { $0.0 == name ? ($0.0, value) : $0 }, session.token)
        }
        let cases: [(String, [(String, String)], String)] = [
            ("negative fast", replacing("params.fast", "-5"), "\"fast\""),
            ("fast not a number", replacing("params.fast", "ten"), "\"fast\""),
            ("fast above slow", replacing("params.fast", "50"), "fast < slow"),
            ("a date that is not a date", replacing("from", "2024-02-30"), "\"from\""),
            ("a bar OKX lacks", replacing("bar", "7m"), "\"bar\""),
            ("negative capital", replacing("capital", "-1"), "\"capital\""),
            ("an unknown engine", replacing("engine", "moon"), "\"engine\""),
            ("an unknown parameter", Self.with(Self.backtestForm + [("params.speed", "3")], session.token), "\"speed\""),
            ("an unknown field", Self.with(Self.backtestForm + [("priority", "3")], session.token), "\"priority\""),
        ]
        for (what, fields, needle) in cases {
            let a = try s.post("/backtests", fields, cookie: session.cookie)
            #expect(a.status == 400 && a.isOneLine, "\(what): \(a.status) \(a.body.prefix(300))")
            #expect(a.body.contains(needle), "\(what): the reason names \(needle): \(a.body.prefix(300))")
        }
        #expect(try s.scalar("select count(*) from queue.jobs") == "0", "nothing was queued")
    }
}
