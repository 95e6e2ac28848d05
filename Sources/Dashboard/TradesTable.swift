import Foundation
import Postgres

/// The run page's trades table: one page of trades (100 unless told) sorted by the database
/// (bi.run_trades_page), with header links that sort and links to the other pages. Query
/// parameters: `trades_sort` (a column), `trades_order` (asc or desc), `trades_page` (from 1),
/// `trades_per_page` (1 to 1000).
/// The JSON twin keeps every trade under "trades"; these parameters change only the HTML table.
struct TradesTable: Sendable {
    static let defaultPageSize = 100
    static let parameters = ["trades_sort", "trades_order", "trades_page", "trades_per_page"]
    static let columns = ["n", "side", "entry_time", "entry_price", "exit_time", "exit_price", "size", "pnl",
                          "return_pct", "fees", "exit_reason"]
    static let sql = """
        select t.n, t.side, t.entry_time, t.entry_price, t.exit_time, t.exit_price, t.size, t.pnl, t.return_pct, t.fees,
               t.exit_reason
          from bi.run_trades_page($1, $2, $3, $4, $5) with ordinality as t
         order by t.ordinality
        """

    var sort: String, descending: Bool, page: Int, pageSize: Int

    init(_ q: QueryParameters) throws(Refusal) {
        sort = try q.choice("trades_sort", Self.columns) ?? "n"
        descending = try q.choice("trades_order", ["asc", "desc"]) == "desc"
        page = try q.int("trades_page", in: 1...1_000_000, default: 1)
        pageSize = try q.int("trades_per_page", in: 1...1000, default: Self.defaultPageSize)
    }

    /// `?…` keeping the zoom range, with these table settings.
    func link(sort: String, descending: Bool, page: Int, zoom: (from: String?, to: String?)) -> String {
        var items: [String] = []
        if let f = zoom.from { items.append("from=" + Self.encode(f)) }
        if let t = zoom.to { items.append("to=" + Self.encode(t)) }
        if sort != "n" { items.append("trades_sort=" + sort) }
        if descending { items.append("trades_order=desc") }
        if page > 1 { items.append("trades_page=\(page)") }
        if pageSize != Self.defaultPageSize { items.append("trades_per_page=\(pageSize)") }
        return "?" + items.joined(separator: "&amp;") + "#trades"
    }

    static func encode(_ s: String) -> String {
        s.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-_.:"))) ?? ""
    }

    func html(_ result: QueryResult?, total: Int, zoom: (from: String?, to: String?)) -> String {
        let pages = max(1, (total + pageSize - 1) / pageSize)
        var h = "<h2>Trades (\(total))</h2>\n"
        guard let result, result.count > 0 else {
            return h + (total == 0 ? "<p class=\"muted\" id=\"trades\">no rows</p>\n"
                                   : "<p class=\"muted\" id=\"trades\">page \(page) is past the last page (\(pages)): <a href=\"\(link(sort: sort, descending: descending, page: 1, zoom: zoom))\">first page</a></p>\n")
        }
        let first = (page - 1) * pageSize + 1
        var nav = "<p class=\"pages\">trades \(first) to \(first + result.count - 1) of \(total), sorted by \(sort)\(descending ? " (descending)" : "")"
        if page > 1 {
            nav += " · <a href=\"\(link(sort: sort, descending: descending, page: 1, zoom: zoom))\">first</a>"
            nav += " · <a rel=\"prev\" href=\"\(link(sort: sort, descending: descending, page: page - 1, zoom: zoom))\">previous</a>"
        }
        if page < pages {
            nav += " · <a rel=\"next\" href=\"\(link(sort: sort, descending: descending, page: page + 1, zoom: zoom))\">next</a>"
            nav += " · <a href=\"\(link(sort: sort, descending: descending, page: pages, zoom: zoom))\">last (\(pages))</a>"
        }
        h += nav + "</p>\n"
        // A header sorts by its column (ascending; again: descending), back to page 1.
        h += HTML.table("trades", result, headerLink: { column in
            guard Self.columns.contains(column) else { return nil }
            return link(sort: column, descending: column == sort && !descending, page: 1, zoom: zoom)
        })
        return h
    }
}
