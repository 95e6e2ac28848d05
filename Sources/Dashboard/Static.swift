import FlyingFox
import Foundation

/// The dashboard's only stylesheet and script, served by the process (no CDN, no build step).
enum Static {
    static func response(_ path: String) throws(Refusal) -> HTTPResponse {
        switch path {
        case "/static/dashboard.css":
            return HTTPResponse(statusCode: .ok, headers: [.contentType: "text/css; charset=utf-8"], body: Data(css.utf8))
        case "/static/dashboard.js":
            return HTTPResponse(statusCode: .ok, headers: [.contentType: "text/javascript; charset=utf-8"], body: Data(js.utf8))
        default:
            throw .notFound("no static file \(QueryParameters.clip(path))")
        }
    }

    static let css = """
    body{font-family:system-ui,-apple-system,Segoe UI,Helvetica,Arial,sans-serif;margin:16px 24px;color:#222}
    nav{margin-bottom:12px}nav a{margin-right:14px;text-decoration:none;color:#0969da}nav a.api{color:#777}
    table{border-collapse:collapse;font-size:13px;margin:8px 0 24px}
    td,th{border:1px solid #ddd;padding:3px 8px;text-align:right;white-space:nowrap}th{background:#f4f4f4}
    td:first-child,th:first-child{text-align:left}table.kv th{text-align:left;font-weight:normal}
    table.sortable th{cursor:pointer}.muted{color:#777}.unit{color:#777;font-size:11px}
    svg{display:block;margin:8px 0 24px;background:#fcfcfc;border:1px solid #eee;max-width:100%;height:auto}
    .cols{display:flex;gap:32px;flex-wrap:wrap}.intro{color:#555}form.filters label{margin-right:10px}
    progress{width:120px}
    svg.sparkline{display:inline-block;vertical-align:middle;margin:0;border:none;background:none;width:120px;height:28px;max-width:none}
    """

    /// Sortable tables (click a header) and live progress bars fed by /events (Server-Sent Events).
    static let js = """
    'use strict';
    document.querySelectorAll('table.sortable').forEach(function (table) {
      table.querySelectorAll('th').forEach(function (th, col) {
        th.addEventListener('click', function () {
          var body = table.tBodies[0], rows = Array.prototype.slice.call(body.rows);
          var dir = th.dataset.dir === 'asc' ? -1 : 1; th.dataset.dir = dir === 1 ? 'asc' : 'desc';
          rows.sort(function (a, b) {
            var x = a.cells[col].textContent, y = b.cells[col].textContent, nx = parseFloat(x), ny = parseFloat(y);
            if (!isNaN(nx) && !isNaN(ny)) return (nx - ny) * dir;
            return x.localeCompare(y) * dir;
          });
          rows.forEach(function (r) { body.appendChild(r); });
        });
      });
    });
    if (document.querySelector('progress[data-job]') && window.EventSource) {
      var source = new EventSource('/events');
      source.addEventListener('progress', function (e) {
        var d = JSON.parse(e.data);
        document.querySelectorAll('progress[data-job="' + d.job_id + '"]').forEach(function (p) {
          if (d.progress !== null) { p.value = d.progress; p.textContent = Math.round(d.progress * 100) + '%'; }
          p.title = d.message || '';
        });
      });
    }
    """
}
