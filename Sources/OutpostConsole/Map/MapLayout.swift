import Foundation

/// Placing markers so that they stay readable: branches at the same point spread on a spiral,
/// cluster markers pushed apart until their boxes no longer overlap.
enum MapLayout {
    /// The height of a cluster marker's box with its two-line label, in SVG units: from 12
    /// above its point to 46 below.
    static let clusterHeight = 58.0

    /// The width of a cluster marker's box, in SVG units: its marker, or its label when wider
    /// (estimated from the names' lengths at 11 px: 6.6 units a Latin letter, 7.2 a Georgian).
    static func clusterWidth(region: String, regionKa: String?) -> Double {
        let english = Double(region.count) * 6.6
        let georgian = Double(regionKa?.count ?? 0) * 7.2
        return max(54, max(english, georgian) + 10)
    }

    /// How far apart, in SVG units, branches at one point are spread.
    static let spreadStep = 5.0

    /// `points` with those sharing a position (to 0.5 units) moved onto a sunflower spiral
    /// around it, in their order, the first one staying put.
    static func spread(_ points: [MapPoint]) -> [MapPoint] {
        var seen: [String: Int] = [:]
        let goldenAngle = Double.pi * (3 - 5.0.squareRoot())
        return points.map { point in
            let key = "\(Int((point.x * 2).rounded())):\(Int((point.y * 2).rounded()))"
            let index = seen[key, default: 0]
            seen[key] = index + 1
            guard index > 0 else { return point }
            let radius = spreadStep * (Double(index) + 0.5).squareRoot()
            let angle = Double(index) * goldenAngle
            return MapPoint(x: point.x + radius * cos(angle), y: point.y + radius * sin(angle))
        }
    }

    /// `points` moved apart, a little at a time, until no two boxes around them overlap (or
    /// 200 rounds have passed), staying within (0, 0)–`bounds`. Box `i` is `widths[i]` wide,
    /// centred on its point, and spans 12 above it to ``clusterHeight`` - 12 below.
    static func separate(_ points: [MapPoint], widths: [Double], bounds: MapPoint) -> [MapPoint] {
        var moved = points
        let height = clusterHeight
        for _ in 0..<200 {
            var clear = true
            for first in moved.indices {
                for second in moved.indices where second > first {
                    let dx = moved[second].x - moved[first].x
                    let dy = moved[second].y - moved[first].y
                    let width = (widths[first] + widths[second]) / 2
                    let overlapX = width - abs(dx)
                    let overlapY = height - abs(dy)
                    guard overlapX > 0, overlapY > 0 else { continue }
                    clear = false
                    // Push along the axis needing the shorter move; ties go vertical, down.
                    if overlapX / width < overlapY / height {
                        let push = (overlapX / 2 + 0.5) * (dx < 0 ? -1 : 1)
                        moved[first].x -= push
                        moved[second].x += push
                    } else {
                        let push = (overlapY / 2 + 0.5) * (dy < 0 ? -1 : 1)
                        moved[first].y -= push
                        moved[second].y += push
                    }
                }
            }
            for index in moved.indices {
                moved[index].x = min(max(moved[index].x, widths[index] / 2), bounds.x - widths[index] / 2)
                moved[index].y = min(max(moved[index].y, 12), bounds.y - height + 12)
            }
            if clear { break }
        }
        return moved
    }

    /// The worst of branches' states: down over unknown over up (`unknown` for none).
    static func worst(_ badges: [StateBadge]) -> StateBadge {
        if badges.contains(where: { $0.state == "down" }) { return StateBadge("down") }
        if badges.isEmpty || badges.contains(where: { $0.state != "up" }) { return StateBadge("unknown") }
        return StateBadge("up")
    }
}
