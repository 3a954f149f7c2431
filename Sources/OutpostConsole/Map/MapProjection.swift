import Foundation

/// The map's projection: equirectangular around Georgia, longitudes shortened by the cosine of
/// the frame's middle latitude so that distances east–west and north–south look alike (within
/// 2 % over Georgia's 2.5° of latitude). The frame's north-west corner is the origin.
public struct MapProjection: Sendable {
    /// The degrees shown.
    public let frame: GeorgiaOutline.Frame
    /// SVG units per degree of latitude.
    public let scale: Double
    /// SVG units per degree of longitude.
    public let longitudeScale: Double

    /// The width and height of the drawing in SVG units.
    public var width: Double { (frame.east - frame.west) * longitudeScale }
    public var height: Double { (frame.north - frame.south) * scale }

    /// - Parameter scale: SVG units per degree of latitude.
    public init(frame: GeorgiaOutline.Frame, scale: Double = 160) {
        self.frame = frame
        self.scale = scale
        self.longitudeScale = scale * cos((frame.south + frame.north) / 2 * .pi / 180)
    }

    /// Where `latitude`, `longitude` (degrees) is drawn.
    public func point(latitude: Double, longitude: Double) -> MapPoint {
        MapPoint(x: (longitude - frame.west) * longitudeScale, y: (frame.north - latitude) * scale)
    }

    /// Whether `latitude`, `longitude` lies in the frame.
    public func contains(latitude: Double, longitude: Double) -> Bool {
        (frame.south...frame.north).contains(latitude) && (frame.west...frame.east).contains(longitude)
    }

    /// The SVG path data of closed rings given as `[lon, lat, lon, lat, …]`.
    public func path(_ rings: [[Double]]) -> String {
        rings.map { ring in
            stride(from: 0, to: ring.count - 1, by: 2).enumerated().map { index, offset in
                let point = self.point(latitude: ring[offset + 1], longitude: ring[offset])
                return (index == 0 ? "M" : "L") + MapNumber.text(point.x) + " " + MapNumber.text(point.y)
            }.joined() + "Z"
        }.joined()
    }
}

/// Numbers as the map's SVG writes them: one decimal, no exponent.
enum MapNumber {
    static func text(_ value: Double) -> String {
        String(format: "%.1f", value)
    }
}
