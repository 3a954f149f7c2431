/// Reads samples out of a Prometheus text exposition.
struct PrometheusText {
    let text: String

    /// The value of the sample `name` (with its labels exactly as exposed, e.g. `x{le="1.0"}`),
    /// or `nil` when the exposition has no such line.
    func value(_ name: String) -> Double? {
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), line[..<space] == name else { continue }
            return Double(line[line.index(after: space)...])
        }
        return nil
    }
}
