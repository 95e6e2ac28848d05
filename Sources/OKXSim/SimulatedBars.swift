// The bars okx-sim serves: OKX's calendar (OKX.Bar, the project's one bar calendar) minus `1s`.

import enum OKX.Bar

extension Bar {
    /// Every OKX bar but `1s`: the synthetic market's resolution is one minute, so okx-sim answers
    /// `bar=1s` with 51000 like any bar it does not serve.
    static let simulated: [Bar] = Bar.allCases.filter { $0 != .s1 }

    /// The simulated bar named `name` (OKX spelling), or nil.
    static func simulated(named name: String) -> Bar? {
        guard let bar = Bar(rawValue: name), bar != .s1 else { return nil }
        return bar
    }
}
