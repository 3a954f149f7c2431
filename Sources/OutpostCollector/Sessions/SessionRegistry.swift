import NIOCore
import Synchronization
import X509

/// The live agent connections of this collector, by certificate serial, so a revocation can
/// end them at once.
public final class SessionRegistry: Sendable {
    private let channels = Mutex<[Certificate.SerialNumber: [ObjectIdentifier: any Channel]]>([:])

    public init() {}

    func register(_ channel: any Channel, serial: Certificate.SerialNumber) {
        channels.withLock { $0[serial, default: [:]][ObjectIdentifier(channel)] = channel }
    }

    func unregister(_ channel: any Channel, serial: Certificate.SerialNumber) {
        channels.withLock { registered in
            registered[serial]?[ObjectIdentifier(channel)] = nil
            if registered[serial]?.isEmpty == true { registered[serial] = nil }
        }
    }

    /// Closes every connection authenticated with one of `serials`; returns how many.
    @discardableResult
    func close(serials: Set<Certificate.SerialNumber>) -> Int {
        let doomed = channels.withLock { registered in serials.flatMap { registered[$0]?.values.map { $0 } ?? [] } }
        for channel in doomed { channel.close(promise: nil) }
        return doomed.count
    }
}
