/// A device's or branch's state as drawn: a word and a symbol beside the colour, so that colour
/// is never the only signal (`up ▲`, `down ▼`, `unknown ?`, `disabled –`).
public struct StateBadge: Sendable, Equatable {
    /// `up`, `down`, `unknown` or `disabled`: the CSS class and the word shown.
    public let state: String
    /// The symbol shown before the word.
    public let symbol: String

    /// The badge of `state`; anything unrecognised is drawn as unknown.
    public init(_ state: String) {
        switch state {
        case "up": (self.state, self.symbol) = ("up", "▲")
        case "down": (self.state, self.symbol) = ("down", "▼")
        case "disabled": (self.state, self.symbol) = ("disabled", "–")
        default: (self.state, self.symbol) = ("unknown", "?")
        }
    }

    /// The worst of some states: down over unknown over up; `unknown` for none.
    public static func worst(up: Int, down: Int, unknown: Int) -> StateBadge {
        if down > 0 { return StateBadge("down") }
        if unknown > 0 || up == 0 { return StateBadge("unknown") }
        return StateBadge("up")
    }
}
