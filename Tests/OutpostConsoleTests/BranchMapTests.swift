import Foundation
import OutpostConsole
import Testing

@Suite("Map: branch markers, region clusters, worst state, the rendered page")
struct BranchMapTests {
    /// A branch for the tests: `id` is derived from `name` (its first six bytes in hex).
    static func branch(
        _ name: String, region: String?, at position: (Double, Double)?, up: Int = 0, down: Int = 0, unknown: Int = 0
    ) -> MapBranch {
        MapBranch(
            id: "00000000-0000-4000-8000-"
                + name.utf8.map { String(format: "%02x", $0) }.joined().padding(
                    toLength: 12, withPad: "0", startingAt: 0),
            name: name, displayName: name.capitalized, displayNameKa: region == "Kakheti" ? "თელავი \(name)" : nil,
            region: region, regionKa: region == "Kakheti" ? "კახეთი" : nil, latitude: position?.0,
            longitude: position?.1, up: up, down: down, unknown: unknown)
    }

    static let tbilisi = (41.69143, 44.83412)
    static let telavi = (41.91978, 45.47315)
    static let batumi = (41.6418, 41.6336)

    /// Three regions, one branch with no position, one outside the map, three at one point.
    static let seeded: [MapBranch] = [
        branch("tb-1", region: "Tbilisi", at: tbilisi, up: 3),
        branch("tb-2", region: "Tbilisi", at: tbilisi, up: 2, down: 1),
        branch("tb-3", region: "Tbilisi", at: tbilisi, up: 1, unknown: 1),
        branch("tb-4", region: "Tbilisi", at: (41.72, 44.79), up: 4),
        branch("te-1", region: "Kakheti", at: telavi, up: 2),
        branch("te-2", region: "Kakheti", at: (41.62, 45.92)),
        branch("ba-1", region: "Adjara", at: batumi, up: 1),
        branch("ba-2", region: "Adjara", at: (41.82, 41.775), up: 5),
        branch("nowhere", region: "Adjara", at: nil, up: 1),
        branch("abroad", region: nil, at: (48.85, 2.35), up: 1),
    ]

    @Test("every placed branch gets one marker; the others are listed as not placed")
    func markers() {
        let map = BranchMap(branches: Self.seeded)
        #expect(map.branches.count == 8)
        #expect(Set(map.branches.map(\.name)) == Set(Self.seeded.map(\.name)).subtracting(["nowhere", "abroad"]))
        #expect(map.unplaced.map(\.name) == ["nowhere", "abroad"])
        #expect(map.unplaced.map(\.reason) == ["no coordinates", "outside the map"])
        #expect(map.hasUnplaced)
        let points = map.branches.map { "\($0.x),\($0.y)" }
        #expect(Set(points).count == points.count, "branches at one point are spread apart")
    }

    @Test("one cluster per region with its count and the worst state of its branches")
    func clusters() throws {
        let map = BranchMap(branches: Self.seeded)
        #expect(
            map.clusters.map(\.region) == ["Adjara", "Kakheti", "Tbilisi"], "branches in no region were not placed")
        let byRegion = Dictionary(uniqueKeysWithValues: map.clusters.map { ($0.region, $0) })
        let tbilisi = try #require(byRegion["Tbilisi"])
        #expect(tbilisi.count == 4)
        #expect((tbilisi.state, tbilisi.symbol, tbilisi.text) == ("down", "▼", "▼ 4"), "one device down beats all")
        let kakheti = try #require(byRegion["Kakheti"])
        #expect(kakheti.count == 2)
        #expect(kakheti.state == "unknown", "te-2 has no devices: unknown beats up")
        #expect(kakheti.regionKa == "კახეთი")
        let adjara = try #require(byRegion["Adjara"])
        #expect((adjara.count, adjara.state, adjara.symbol) == (2, "up", "▲"), "the unplaced branch is not counted")
    }

    @Test("each branch's colour class, symbol and shape follow its worst device state")
    func worstState() throws {
        let map = BranchMap(branches: Self.seeded)
        let byName = Dictionary(uniqueKeysWithValues: map.branches.map { ($0.name, $0) })
        let cases: [(String, String, String)] = [
            ("tb-1", "up", "▲"), ("tb-2", "down", "▼"), ("tb-3", "unknown", "?"), ("te-2", "unknown", "?"),
        ]
        for (name, state, symbol) in cases {
            let marker = try #require(byName[name])
            #expect((marker.state, marker.symbol) == (state, symbol), "\(name)")
            #expect(marker.title.contains("\(symbol) \(state)"), "the tooltip says the state in words")
        }
        let shapes = Set(["tb-1", "tb-2", "tb-3"].compactMap { byName[$0]?.shape })
        #expect(shapes.count == 3, "up, down and unknown have different shapes, not only colours")
        let telavi = try #require(byName["te-1"])
        #expect(telavi.title.contains("Te-1 · თელავი te-1") && telavi.title.contains("Kakheti · კახეთი"))
        #expect(telavi.title.contains("devices 2 up, 0 down, 0 unknown"))
    }

    @Test("clusters close together are moved apart so that their boxes do not overlap")
    func separated() {
        let near = (0..<5).map { index in
            Self.branch("r\(index)", region: "Region \(index)", at: (41.7 + Double(index) * 0.01, 44.8), up: 1)
        }
        let map = BranchMap(branches: near)
        let points = map.clusters.map { (x: Double($0.x)!, y: Double($0.y)!) }
        for (index, first) in points.enumerated() {
            for second in points.dropFirst(index + 1) {
                // "Region n": 8 letters × 6.6 + 10 = 62.8 units wide, 58 high.
                #expect(abs(first.x - second.x) >= 62.7 || abs(first.y - second.y) >= 57.9, "\(first) vs \(second)")
            }
        }
        #expect(map.clusters.contains { $0.moved })
    }

    @Test("the page draws one linked marker per branch, the legend, the regions table, and nothing external")
    func renderedPage() throws {
        let frame = PageFrame(
            title: "Map", section: "map", username: "ana", role: "admin", regions: nil, can: .init(),
            clock: OperatorClock(zone: .utc))
        let html = ConsoleTemplates.embedded.render(MapPage(frame: frame, branches: Self.seeded))
        #expect(html.components(separatedBy: "class=\"marker state-").count - 1 == 8)
        #expect(html.components(separatedBy: "class=\"legend-shape marker state-").count - 1 == 3, "up, down, unknown")
        #expect(html.components(separatedBy: "data-branch=\"").count - 1 == 8)
        #expect(html.components(separatedBy: "data-cluster=\"").count - 1 == 3)
        #expect(html.contains("href=\"/branches/tb-2\""))
        #expect(html.contains("data-live=\"all\""))
        #expect(html.contains("<script src=\"/static/map.js\" defer></script>"))
        #expect(html.contains("Not placed: <a href=\"/branches/nowhere\">Nowhere</a> (no coordinates), "))
        #expect(html.contains("<th scope=\"row\">Kakheti · <span lang=\"ka\">კახეთი</span></th><td>2</td>"))
        #expect(html.contains("<title>Tb-2\nTbilisi\n▼ down: devices 2 up, 1 down, 0 unknown</title>"))
        let external = html.replacingOccurrences(of: "xmlns=\"http://www.w3.org/2000/svg\"", with: "")
        #expect(!external.contains("http://") && !external.contains("https://"))
        #expect(!external.contains("<script>") && !external.contains(" style="), "no inline script or style (CSP)")
    }

    @Test("names are escaped in the SVG")
    func escaping() {
        let hostile = Self.branch("x\"><script>", region: "<b>", at: Self.tbilisi, up: 1)
        let frame = PageFrame(
            title: "Map", section: "map", username: "ana", role: "admin", regions: nil, can: .init(),
            clock: OperatorClock(zone: .utc))
        let html = ConsoleTemplates.embedded.render(MapPage(frame: frame, branches: [hostile]))
        #expect(!html.contains("<script>") && !html.contains("<b>"))
    }
}
