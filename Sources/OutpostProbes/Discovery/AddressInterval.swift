/// A closed range of address numbers of one family, `lower...upper`.
struct AddressInterval: Sendable, Hashable {
    var lower: UInt128
    var upper: UInt128

    /// Number of addresses in the interval.
    var count: UInt128 { upper - lower + 1 }

    /// Sorts and merges overlapping or adjacent intervals into disjoint ascending ones.
    static func union(_ intervals: [AddressInterval]) -> [AddressInterval] {
        var merged: [AddressInterval] = []
        for interval in intervals.sorted(by: { $0.lower < $1.lower }) {
            if let last = merged.last, last.upper == .max || interval.lower <= last.upper + 1 {
                merged[merged.count - 1].upper = max(last.upper, interval.upper)
            } else {
                merged.append(interval)
            }
        }
        return merged
    }

    /// `included` minus `excluded`; both must be disjoint and ascending (as ``union(_:)`` returns).
    static func subtract(_ excluded: [AddressInterval], from included: [AddressInterval]) -> [AddressInterval] {
        var result: [AddressInterval] = []
        var cut = excluded[...]
        for interval in included {
            var remaining: AddressInterval? = interval
            while let current = remaining, let next = cut.first, next.lower <= current.upper {
                if next.upper < current.lower {
                    cut.removeFirst()
                    continue
                }
                if next.lower > current.lower {
                    result.append(AddressInterval(lower: current.lower, upper: next.lower - 1))
                }
                if next.upper >= current.upper {
                    remaining = nil
                } else {
                    remaining = AddressInterval(lower: next.upper + 1, upper: current.upper)
                    cut.removeFirst()
                }
            }
            if let remaining { result.append(remaining) }
        }
        return result
    }
}
