import Foundation

/// The outline the console's map draws: Georgia's land and its neighbours' within the map's
/// frame, in WGS84 degrees, from `Resources/static/georgia.json` (made by
/// `scripts/lib/make-georgia-map.py`, which says where the data comes from; licence in
/// `Resources/static/LICENSES.txt`). Whatever no ring covers is sea.
public struct GeorgiaOutline: Sendable, Decodable {
    /// The rectangle the map shows, in degrees.
    public struct Frame: Sendable, Decodable, Equatable {
        public let west: Double
        public let east: Double
        public let south: Double
        public let north: Double
    }

    /// Where the data comes from, and its licence.
    public let source: String
    public let frame: Frame
    /// Georgia's rings, each `[lon, lat, lon, lat, …]`.
    public let georgia: [[Double]]
    /// The neighbours' rings clipped to the frame, by ISO 3166 code (`RU`, `TR`, `AM`, `AZ`).
    public let neighbours: [String: [[Double]]]

    /// The outline embedded in this binary.
    public static let embedded: GeorgiaOutline = {
        guard let asset = ConsoleAssets.asset("georgia.json") else {
            preconditionFailure("static/georgia.json is not embedded")
        }
        do {
            return try JSONDecoder().decode(GeorgiaOutline.self, from: Data(asset.bytes))
        } catch {
            // A file this module ships; any test that draws the map reveals a broken one.
            preconditionFailure("static/georgia.json does not decode: \(error)")
        }
    }()
}
