/// The outline of a branch's marker by state, around the marker's point (SVG path data): a
/// circle when up, a triangle pointing down when down, a diamond when unknown, so that the
/// shape tells the state as well as the colour does.
enum MarkerShape {
    static func path(for state: String) -> String {
        switch state {
        case "up": "M-6 0A6 6 0 1 0 6 0A6 6 0 1 0 -6 0Z"
        case "down": "M-7.5 -5.5L7.5 -5.5L0 7.5Z"
        default: "M0 -7.5L7.5 0L0 7.5L-7.5 0Z"
        }
    }
}
