/// An SNMP v1/v2c/v3 client on net-snmp's thread-safe session API.
///
/// One dedicated I/O thread drives every session with asynchronous sends and a select
/// loop, so hundreds of requests to hundreds of devices are in flight at once without a
/// thread per device. Sessions (one UDP socket each) are opened on first use per
/// `SNMPTarget`, reused, and closed after five idle minutes or on `shutdown()`.
///
/// A request completes after a response, an error, or `timeout × (retries + 1)`;
/// cancelling the awaiting task does not shorten that. Failures are values (`SNMPError`).
public final class SNMPEngine: Sendable {
    /// Most OIDs accepted in one request PDU.
    public static let maxOIDsPerRequest = 128

    private let loop: SNMPIOLoop

    /// Initialises net-snmp (once per process) and starts the I/O thread.
    public init() throws(SNMPError) {
        NetSNMPLibrary.initialize()
        loop = try SNMPIOLoop()
        loop.start()
    }

    deinit {
        loop.requestStop()
    }

    /// Stops the I/O thread: requests in flight complete with `.shutdown`, sessions close.
    public func shutdown() async {
        await loop.stop()
    }

    /// GET of up to `maxOIDsPerRequest` OIDs in one PDU. Missing objects come back as
    /// `.noSuchObject`/`.noSuchInstance` values (v2c/v3) or `.agentError(status: 2, …)` (v1).
    public func get(_ oids: [String], from target: SNMPTarget) async -> Result<[VarBind], SNMPError> {
        await perform(.get, oids, target).map { $0.map(\.varBind) }
    }

    /// GETNEXT: the successor of each OID.
    public func getNext(_ oids: [String], from target: SNMPTarget) async -> Result<[VarBind], SNMPError> {
        await perform(.getNext, oids, target).map { $0.map(\.varBind) }
    }

    /// GETBULK (v2c/v3): the successor of each of the first `nonRepeaters` OIDs, then up to
    /// `maxRepetitions` successors of each remaining OID.
    public func getBulk(
        _ oids: [String], nonRepeaters: Int = 0, maxRepetitions: Int, from target: SNMPTarget
    ) async -> Result<[VarBind], SNMPError> {
        await perform(.getBulk(nonRepeaters: nonRepeaters, maxRepetitions: maxRepetitions), oids, target)
            .map { $0.map(\.varBind) }
    }

    func perform(_ operation: SNMPRequest.Operation, _ oids: [String], _ target: SNMPTarget) async -> Result<
        [DecodedVarBind], SNMPError
    > {
        do {
            let parsed = try oids.map { (oid) throws(SNMPError) in try NumericOID(parsing: oid) }
            return await perform(operation, parsed, target)
        } catch {
            return .failure(error)
        }
    }

    func perform(_ operation: SNMPRequest.Operation, _ oids: [NumericOID], _ target: SNMPTarget) async -> Result<
        [DecodedVarBind], SNMPError
    > {
        do {
            try target.validate()
            try Self.validate(operation, oidCount: oids.count, security: target.security)
        } catch {
            return .failure(error)
        }
        return await withCheckedContinuation { continuation in
            loop.submit(SNMPRequest(target: target, operation: operation, oids: oids, continuation: continuation))
        }
    }

    private static func validate(_ operation: SNMPRequest.Operation, oidCount: Int, security: SNMPSecurity)
        throws(SNMPError)
    {
        guard (1...maxOIDsPerRequest).contains(oidCount) else {
            throw .invalidTarget("a request carries 1...\(maxOIDsPerRequest) OIDs")
        }
        if case .getBulk(let nonRepeaters, let maxRepetitions) = operation {
            if case .v1 = security { throw .invalidTarget("GETBULK needs SNMPv2c or v3") }
            guard (0...oidCount).contains(nonRepeaters), (1...1_000).contains(maxRepetitions) else {
                throw .invalidTarget("GETBULK needs 0...OID count non-repeaters and 1...1000 max-repetitions")
            }
        }
    }
}
