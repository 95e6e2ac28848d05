import Foundation
import Postgres

/// One block of rows of a page: a SELECT over schema bi. The HTML page shows it as a table (or a
/// chart) and the JSON twin under /api/ returns the very same statement's rows, under `name`.
struct Section: Sendable {
    var name: String
    var title: String
    var sql: String
    var parameters: [any SQLParameter]
    /// Shown in the HTML page (false: fetched only for a chart, still in the JSON twin).
    var table = true
    /// Also returned by the JSON twin (false: rows only the HTML page needs, e.g. the full-detail
    /// candles its indicators are computed from).
    var api = true
}

/// Rows fetched for a page, by section name.
struct Fetched: Sendable {
    var results: [String: QueryResult]
    subscript(_ name: String) -> QueryResult? { results[name] }
}

/// What a path shows: a title, its sections, and page-specific HTML (charts) built from the rows.
struct Page: Sendable {
    var title: String
    var intro: String = ""
    var sections: [Section]
    /// Extra HTML placed before the tables (charts, forms), built from the fetched rows.
    var extra: @Sendable (Fetched) throws(Refusal) -> String = { _ throws(Refusal) in "" }
    /// When set, the page answers 404 with this reason if that section returned no row.
    var mustExist: (section: String, reason: String)? = nil
}
