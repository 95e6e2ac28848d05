// A matrix of malformed candle pages: each is rejected whole, naming the row and the field.

import Foundation
import Testing
@testable import OKX

struct MalformedCase: Sendable, CustomStringConvertible {
    let name: String
    /// JSON text of row 1 (rows 0 and 2 are sound).
    let row: String
    let field: String?

    var description: String { name }

    static let good = ["1706634000000", "43495.9", "43591.7", "43300", "43398.6",
                       "4492.95408114", "195072853.268772597", "195072853.268772597", "1"]

    /// Row 1 with field `index` replaced by the raw JSON token `token`.
    static func with(_ index: Int, _ token: String) -> String {
        var parts = good.map { "\"\($0)\"" }
        parts[index] = token
        return "[" + parts.joined(separator: ",") + "]"
    }

    static func field(_ name: String, _ index: Int, _ token: String) -> MalformedCase {
        MalformedCase(name: name, row: with(index, token), field: Candle.fieldNames[index])
    }

    static let all: [MalformedCase] = [
        MalformedCase(name: "row of 8 fields", row: "[" + good.dropLast().map { "\"\($0)\"" }.joined(separator: ",") + "]", field: nil),
        MalformedCase(name: "row of 10 fields", row: "[" + (good + ["x"]).map { "\"\($0)\"" }.joined(separator: ",") + "]", field: nil),
        MalformedCase(name: "row is an object", row: #"{"ts":"1706634000000"}"#, field: nil),
        MalformedCase(name: "row is a string", row: #""1706634000000""#, field: nil),
        field("ts as a JSON number", 0, "1706634000000"),
        field("ts off the 1H grid", 0, "\"1706634000001\""),
        field("ts not digits", 0, "\"abc\""),
        field("ts negative", 0, "\"-3600000\""),
        field("ts empty", 0, "\"\""),
        field("open NaN", 1, "\"NaN\""),
        field("high Infinity", 2, "\"Infinity\""),
        field("low -Infinity", 3, "\"-Infinity\""),
        field("close exponent", 4, "\"4.3e4\""),
        field("close upper-case exponent", 4, "\"43E3\""),
        field("open negative", 1, "\"-43495.9\""),
        field("open with plus sign", 1, "\"+43495.9\""),
        field("low zero", 3, "\"0\""),
        field("low zero with decimals", 3, "\"0.000\""),
        field("open empty", 1, "\"\""),
        field("open leading zeros", 1, "\"043495.9\""),
        field("open trailing dot", 1, "\"43495.\""),
        field("open leading dot", 1, "\".5\""),
        field("open with space", 1, "\" 43495.9\""),
        field("open with comma", 1, "\"43,495.9\""),
        field("open as JSON number", 1, "43495.9"),
        field("open null", 1, "null"),
        field("vol negative", 5, "\"-1\""),
        field("volCcy longer than 64 characters", 6, "\"1." + String(repeating: "0", count: 63) + "\""),
        field("volCcyQuote 41 significant digits", 7, "\"" + String(repeating: "9", count: 41) + "\""),
        field("vol as boolean", 5, "true"),
        field("vol array", 5, "[\"1\"]"),
        field("high below open", 2, "\"43495.8\""),
        field("high below close", 2, "\"43398.5\""),
        MalformedCase(name: "high below low", row: with(2, "\"43299\""), field: "h"),
        field("low above close", 3, "\"43398.7\""),
        MalformedCase(name: "low above open", row: with(3, "\"43495.95\"").replacingOccurrences(of: "\"43591.7\"", with: "\"43600\""), field: "l"),
        field("confirm 2", 8, "\"2\""),
        field("confirm true", 8, "true"),
        field("confirm as number", 8, "1"),
        field("confirm empty", 8, "\"\""),
    ]
}

@Suite struct MalformedCandleTests {
    static let row0 = #"["1706637600000","43398.6","43493.9","43279.9","43373.9","5070.79611732","220057933.233687634","220057933.233687634","1"]"#
    static let row2 = #"["1706630400000","43377.1","43500","43220.9","43495.9","7137.30786672","309343235.363089398","309343235.363089398","1"]"#

    static func page(_ row1: String) -> String {
        #"{"code":"0","msg":"","data":["# + row0 + "," + row1 + "," + row2 + "]}"
    }

    @Test func theSoundPageDecodes() async throws {
        let (client, _, _) = makeClient([StubTransport.body(200, Self.page(MalformedCase.with(0, "\"1706634000000\"")))])
        let rows = try await client.candles(instId: "BTC-USDT", bar: .h1)
        #expect(rows.count == 3)
    }

    @Test(arguments: MalformedCase.all)
    func rejectedNamingRowAndField(_ c: MalformedCase) async throws {
        for endpoint in [OKXEndpoint.candles, .historyCandles] {
            let (client, transport, _) = makeClient([StubTransport.body(200, Self.page(c.row))])
            let error = await okxError {
                endpoint == .candles ? try await client.candles(instId: "BTC-USDT", bar: .h1)
                                     : try await client.historyCandles(instId: "BTC-USDT", bar: .h1)
            }
            guard case let .malformed(e, row, field, reason)? = error else {
                Issue.record("\(c.name): expected malformed, got \(String(describing: error))"); continue
            }
            #expect(e == endpoint)
            #expect(row == 1, "\(c.name)")
            #expect(field == c.field, "\(c.name): \(reason)")
            #expect(transport.requestedURLs.count == 1, "malformed answers are not retried")
            #expect(client.stats.counters(endpoint).failures == 1)
        }
    }

    static let brokenBodies: [(String, String)] = [
        ("empty body", ""),
        ("truncated body", #"{"code":"0","msg":"","data":[["1706637600000","43398.6","#),
        ("HTML", "<html><body>Bad Gateway</body></html>"),
        ("top-level array", #"[["1706637600000"]]"#),
        ("code as number", #"{"code":0,"msg":"","data":[]}"#),
        ("code missing", #"{"msg":"","data":[]}"#),
        ("data is an object", #"{"code":"0","msg":"","data":{}}"#),
        ("data missing on success", #"{"code":"0","msg":""}"#),
        ("bare NaN token", #"{"code":"0","msg":"","data":[[NaN]]}"#),
    ]

    @Test(arguments: 0..<brokenBodies.count)
    func brokenEnvelopes(_ index: Int) async throws {
        let (name, body) = Self.brokenBodies[index]
        let (client, transport, _) = makeClient([StubTransport.body(200, body)])
        let error = await okxError { try await client.candles(instId: "BTC-USDT", bar: .h1) }
        guard case let .malformed(endpoint, row, _, _)? = error else {
            Issue.record("\(name): expected malformed, got \(String(describing: error))"); return
        }
        #expect(endpoint == .candles && row == nil, "\(name)")
        #expect(transport.requestedURLs.count == 1)
    }

    @Test func envelopeKeyOrderDoesNotMatter() async throws {
        let body = #"{"data":[["1706637600000","1","1","1","1","0","0","0","0"]],"msg":"whatever","code":"0"}"#
        let (client, _, _) = makeClient([StubTransport.body(200, body)])
        let rows = try await client.candles(instId: "BTC-USDT", bar: .h1)
        #expect(rows == [Candle(ts: 1706637600000, open: "1", high: "1", low: "1", close: "1",
                                vol: "0", volCcy: "0", volCcyQuote: "0", confirmed: false)])
    }

    @Test func soundEdgeValuesAreAccepted() async throws {
        // Small prices with leading "0.", trailing zeros kept, zero volume, max-length numbers.
        let long = "0." + String(repeating: "0", count: 61) + "1" // 64 characters, 1 significant digit
        let forty = String(repeating: "9", count: 40)
        let body = #"{"code":"0","msg":"","data":[["1706637600000","0.00007722","0.000080","0.00007700","0.0000772","0","\#(long)","\#(forty)","1"]]}"#
        let (client, _, _) = makeClient([StubTransport.body(200, body)])
        let c = try #require(try await client.candles(instId: "PEPE-USDT", bar: .h1).first)
        #expect(c.open == "0.00007722" && c.high == "0.000080" && c.low == "0.00007700" && c.vol == "0")
        #expect(c.volCcy == long && c.volCcyQuote == forty)
    }
}

@Suite struct DecimalAndDedupTests {
    @Test func decimalRules() {
        for ok in ["0", "0.0", "1", "10", "0.00007722", "9999999999.0000000000000000", "220057933.233687634"] {
            #expect(OKXDecimal.isValid(ok), "\(ok)")
        }
        for bad in ["", "00", "01", "1.", ".1", "-1", "+1", "1e3", "NaN", "nan", "Infinity", "inf", " 1", "1 ", "1,0", "0x10", "١"] {
            #expect(!OKXDecimal.isValid(bad), "\(bad)")
        }
        #expect(OKXDecimal.compare("43300", "43300.0") == 0)
        #expect(OKXDecimal.compare("0.0001", "0.001") < 0)
        #expect(OKXDecimal.compare("100", "99.999") > 0)
        #expect(OKXDecimal.compare("0", "0.000") == 0)
    }

    @Test func deduplicateAndSort() {
        func c(_ ts: Int64, _ close: String, _ confirmed: Bool) -> Candle {
            Candle(ts: ts, open: "1", high: "2", low: "1", close: close, vol: "1", volCcy: "1", volCcyQuote: "1", confirmed: confirmed)
        }
        let page1 = [c(300, "1.5", false), c(200, "1.2", true), c(100, "1.1", true)]
        let page2 = [c(300, "1.6", true), c(200, "1.25", true), c(0, "1.0", true)]
        let merged = Candle.deduplicatedAndSorted(page1 + page2 + [c(300, "1.7", false)])
        #expect(merged.map(\.ts) == [0, 100, 200, 300])
        #expect(merged[2].close == "1.25", "later row wins")
        #expect(merged[3].close == "1.6" && merged[3].confirmed, "a confirmed row is not replaced by an unconfirmed one")
    }
}
