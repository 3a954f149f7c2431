import OutpostConsole
import Testing

@Suite("Map: projection of Georgia")
struct MapProjectionTests {
    let projection = MapProjection(frame: GeorgiaOutline.embedded.frame)

    @Test("Tbilisi is drawn east of Batumi, Batumi west and a little south; Stepantsminda north of both")
    func towns() {
        let tbilisi = projection.point(latitude: 41.69143, longitude: 44.83412)
        let batumi = projection.point(latitude: 41.6418, longitude: 41.6336)
        let stepantsminda = projection.point(latitude: 42.6571, longitude: 44.6433)
        #expect(tbilisi.x > batumi.x + 300, "3.2° of longitude apart at 160 units per degree × cos 42.3°")
        #expect(batumi.y > tbilisi.y, "Batumi lies 0.05° south of Tbilisi: larger y")
        #expect(stepantsminda.y < tbilisi.y - 100)
        for point in [tbilisi, batumi, stepantsminda] {
            #expect((0...projection.width).contains(point.x) && (0...projection.height).contains(point.y))
        }
    }

    @Test("a degree east is shorter than a degree north by cos(latitude)")
    func aspect() {
        let origin = projection.point(latitude: 42, longitude: 43)
        let east = projection.point(latitude: 42, longitude: 44)
        let north = projection.point(latitude: 43, longitude: 43)
        let ratio = (east.x - origin.x) / (origin.y - north.y)
        #expect(abs(ratio - 0.7396) < 0.001, "cos 42.3° = 0.7396, got \(ratio)")
    }

    @Test("the outline is Georgia's: its rings contain Tbilisi and Kutaisi, not Yerevan nor the sea")
    func outline() throws {
        let outline = GeorgiaOutline.embedded
        let rings = outline.georgia.map { ring in
            stride(from: 0, to: ring.count - 1, by: 2).map { (lon: ring[$0], lat: ring[$0 + 1]) }
        }
        #expect(rings.map(\.count).reduce(0, +) > 100, "the coarse source has 24 points; the shipped one more")
        func inside(_ lat: Double, _ lon: Double) -> Bool {
            rings.contains { ring in Self.contains(ring, latitude: lat, longitude: lon) }
        }
        #expect(inside(41.69143, 44.83412), "Tbilisi")
        #expect(inside(42.2679, 42.6946), "Kutaisi")
        #expect(!inside(40.1792, 44.4991), "Yerevan")
        #expect(!inside(42.5, 41.0), "the Black Sea off Poti")
        #expect(Set(outline.neighbours.keys) == ["RU", "TR", "AM", "AZ"])
        let path = MapProjection(frame: outline.frame).path(outline.georgia)
        #expect(path.hasPrefix("M") && path.hasSuffix("Z"))
    }

    /// Whether `ring` contains the point (even-odd rule, crossings of a ray to the east).
    static func contains(_ ring: [(lon: Double, lat: Double)], latitude: Double, longitude: Double) -> Bool {
        var inside = false
        for index in ring.indices {
            let a = ring[index]
            let b = ring[(index + 1) % ring.count]
            guard (a.lat > latitude) != (b.lat > latitude) else { continue }
            let crossing = a.lon + (latitude - a.lat) / (b.lat - a.lat) * (b.lon - a.lon)
            if longitude < crossing { inside.toggle() }
        }
        return inside
    }
}
