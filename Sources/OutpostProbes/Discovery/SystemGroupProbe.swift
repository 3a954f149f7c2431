import OutpostCore

/// Reads a host's SNMP system group, trying candidate credentials in order.
struct SystemGroupProbe: Sendable {
    /// sysDescr, sysObjectID, sysUpTime, (sysContact skipped), sysName, sysLocation, sysServices.
    static let oids = [
        "1.3.6.1.2.1.1.1.0", "1.3.6.1.2.1.1.2.0", "1.3.6.1.2.1.1.3.0",
        "1.3.6.1.2.1.1.5.0", "1.3.6.1.2.1.1.6.0", "1.3.6.1.2.1.1.7.0",
    ]

    /// What probing one host produced.
    enum Outcome: Sendable, Equatable {
        /// A credential was accepted.
        case identified(SNMPSystemGroup)
        /// No credential got an answer (timeouts, authentication failures).
        case silent
        /// A request could not be made (session error) or the engine shut down.
        case failed
        /// The task was cancelled before every credential was tried.
        case cancelled
    }

    let engine: SNMPEngine
    let configuration: DiscoveryConfiguration

    /// Tries each credential until one answers. Stops before the next request once the task is cancelled.
    func probe(host: String) async -> Outcome {
        var failed = false
        for (index, credential) in configuration.credentials.enumerated() {
            if Task.isCancelled { return .cancelled }
            let target = configuration.snmpTarget(host: host, credential: credential)
            switch await readSystemGroup(target) {
            case .success(let bindings):
                return .identified(Self.systemGroup(bindings, credentialIndex: index))
            case .failure(.timeout), .failure(.authenticationFailure):
                continue
            case .failure:
                failed = true
            }
        }
        return failed ? .failed : .silent
    }

    /// One GET of the whole group. An SNMPv1 agent answers noSuchName for the whole PDU when
    /// one object is missing: the credential worked, so ask again without that object.
    private func readSystemGroup(_ target: SNMPTarget) async -> Result<[VarBind], SNMPError> {
        var oids = Self.oids
        while true {
            let result = await engine.get(oids, from: target)
            guard case .failure(.agentError(status: 2, let index)) = result, oids.indices.contains(index - 1),
                oids.count > 1
            else {
                return result
            }
            oids.remove(at: index - 1)
        }
    }

    /// Picks the values out of a response; missing or mistyped objects stay `nil`.
    static func systemGroup(_ bindings: [VarBind], credentialIndex: Int) -> SNMPSystemGroup {
        var group = SNMPSystemGroup(credentialIndex: credentialIndex)
        for binding in bindings {
            switch (binding.oid, binding.value) {
            case ("1.3.6.1.2.1.1.1.0", .octetString(let bytes)): group.sysDescr = String(decoding: bytes, as: UTF8.self)
            case ("1.3.6.1.2.1.1.2.0", .objectIdentifier(let oid)): group.sysObjectID = oid
            case ("1.3.6.1.2.1.1.3.0", .timeTicks(let ticks)): group.sysUpTime = ticks
            case ("1.3.6.1.2.1.1.5.0", .octetString(let bytes)): group.sysName = String(decoding: bytes, as: UTF8.self)
            case ("1.3.6.1.2.1.1.6.0", .octetString(let bytes)):
                group.sysLocation = String(decoding: bytes, as: UTF8.self)
            case ("1.3.6.1.2.1.1.7.0", .integer(let services)): group.sysServices = Int(exactly: services)
            default: break
            }
        }
        return group
    }
}
