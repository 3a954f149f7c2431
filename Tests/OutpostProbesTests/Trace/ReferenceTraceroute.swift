/// Hop lists printed by the reference tools, to compare the engine's with.
enum ReferenceTraceroute {
    /// The responder of each hop in `traceroute -n` output (`nil` for `* * *`), in hop order.
    static func hops(fromTraceroute output: String) -> [String?] {
        var hops: [String?] = []
        for line in output.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard let first = fields.first, Int(first) != nil else { continue }
            let address = fields.dropFirst().first { $0.split(separator: ".").count == 4 || $0.contains(":") }
            hops.append(address.map(String.init))
        }
        return hops
    }

    /// The responder of each hop in `mtr --report -n` output (`nil` for `???`), in hop order.
    static func hops(fromMTR output: String) -> [String?] {
        output.split(separator: "\n").compactMap { line -> String?? in
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 2, fields[0].hasSuffix(".|--") else { return nil }
            return fields[1] == "???" ? .some(nil) : .some(String(fields[1]))
        }
    }
}
