import Backtest

/// Trade markers drawn compactly: one SVG path per kind (entry long, entry short, exit per reason)
/// instead of one element with its own title per trade, with integer pixel coordinates, and a
/// marker that falls on a pixel its kind already marks is drawn once (down-sampled per pixel, as
/// the candles are). Every kind that occurs keeps its path; `data-trades` on a path says how many
/// trades it stands for, its `<title>` names the kind. Exits are dots (a zero-length line with
/// round caps) over one dark outline path (`exit-outline`).
struct TradeMarkers {
    struct Layer {
        var kind: String, color: String, trades = 0, pixels = Set<Int>(), d = ""
    }
    var entries: [Layer] = []
    var exits: [Layer] = []
    var outline = Layer(kind: "", color: "#24292f")
    /// Dot diameter of the exits (the outline is 2 px wider).
    var exitSize: Double

    init(exitSize: Double) { self.exitSize = exitSize }

    /// An entry triangle at (x, y): pointing up with its tip at y (`up`) or down.
    mutating func entry(_ side: Side, x: Double, y: Double, up: Bool, color: String) {
        let px = Int(x.rounded()), py = Int(y.rounded())
        let d = up ? "M\(px) \(py)l5 9h-10z" : "M\(px) \(py)l5 -9h-10z"
        Self.add(&entries, kind: "entry \(side.rawValue)", color: color, px: px, py: py, d: d)
    }

    /// An exit dot at (x, y) of kind `reason`, filled with `color` ("#fff": hollow).
    mutating func exit(_ reason: String, x: Double, y: Double, color: String) {
        let px = Int(x.rounded()), py = Int(y.rounded())
        let d = "M\(px) \(py)h0"
        Self.add(&exits, kind: reason.isEmpty ? "exit" : "exit \(reason)", color: color, px: px, py: py, d: d)
        if outline.pixels.insert(px << 20 | (py & 0xFFFFF)).inserted { outline.d += d }
    }

    static func add(_ layers: inout [Layer], kind: String, color: String, px: Int, py: Int, d: String) {
        let i = layers.firstIndex { $0.kind == kind } ?? { layers.append(Layer(kind: kind, color: color)); return layers.count - 1 }()
        layers[i].trades += 1
        if layers[i].pixels.insert(px << 20 | (py & 0xFFFFF)).inserted { layers[i].d += d }
    }

    /// The `<g id="trade-markers">` group.
    var svg: String {
        var h = "<g id=\"trade-markers\">\n"
        for l in entries {
            h += "<path class=\"\(l.kind)\" data-trades=\"\(l.trades)\" d=\"\(l.d)\" fill=\"\(l.color)\" stroke=\"#fff\" stroke-width=\"0.5\"><title>\(l.trades) \(l.kind.replacingOccurrences(of: "entry ", with: "")) entries</title></path>\n"
        }
        if !exits.isEmpty {
            let w = Charts.f(exitSize + 2), inner = Charts.f(exitSize)
            h += "<path class=\"exit-outline\" d=\"\(outline.d)\" fill=\"none\" stroke=\"#24292f\" stroke-width=\"\(w)\" stroke-linecap=\"round\"/>\n"
            for l in exits {
                let reason = l.kind == "exit" ? "" : " (\(l.kind.replacingOccurrences(of: "exit ", with: "")))"
                h += "<path class=\"\(l.kind)\" data-trades=\"\(l.trades)\" d=\"\(l.d)\" fill=\"none\" stroke=\"\(l.color)\" stroke-width=\"\(inner)\" stroke-linecap=\"round\"><title>\(l.trades) exits\(reason)</title></path>\n"
            }
        }
        return h + "</g>\n"
    }
}
