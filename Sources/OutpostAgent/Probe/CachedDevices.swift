import Foundation
import OutpostCore
import OutpostPKI

/// The devices of the agent's cached configuration, as `outpost-agent probe` names them: by id,
/// name or address. An agent that is not enrolled, or has no configuration yet, has none.
public struct CachedDevices: Sendable {
    /// The cached configuration, when the agent has one.
    public let configuration: AgentConfiguration?

    /// Reads the cache of the agent whose state directory is `stateDirectory` (sealed under its key).
    /// - Throws: when the agent has a key but the cache does not open with it.
    public init(stateDirectory: String) throws {
        let state = AgentStateDirectory(path: stateDirectory)
        guard FileManager.default.fileExists(atPath: stateDirectory + "/config.json"), let key = try? state.loadKey()
        else {
            configuration = nil
            return
        }
        configuration = try ConfigurationCache(stateDirectory: stateDirectory, agentKey: key).storedConfiguration()
    }

    /// The configured device `name` designates (its id, name or address), `nil` when none does.
    /// - Throws: ``CachedDeviceLookupError/ambiguous(_:matches:)`` when several devices carry the name or address.
    public func device(named name: String) throws(CachedDeviceLookupError) -> AgentConfiguration.Device? {
        let devices = configuration?.devices ?? []
        if let id = UUID(uuidString: name), let device = devices.first(where: { $0.id == id }) { return device }
        for matches in [devices.filter { $0.name == name }, devices.filter { $0.address == name }] {
            if matches.count > 1 { throw .ambiguous(name, matches: matches.map(\.id)) }
            if let device = matches.first { return device }
        }
        return nil
    }
}

/// Why a name designates no single configured device.
public enum CachedDeviceLookupError: Error, Equatable, CustomStringConvertible {
    /// Several configured devices carry this name or address.
    case ambiguous(String, matches: [UUID])

    public var description: String {
        switch self {
        case .ambiguous(let name, let matches):
            "'\(name)' names \(matches.count) configured devices; give one of their ids: "
                + matches.map { $0.uuidString.lowercased() }.joined(separator: ", ")
        }
    }
}
