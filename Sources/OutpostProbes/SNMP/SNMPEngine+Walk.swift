import OutpostCore

extension SNMPEngine {
    /// Walks the subtree under `root` like `snmpbulkwalk` (GETBULK with `maxRepetitions`
    /// for v2c/v3) or `snmpwalk` (GETNEXT for v1), in OID order.
    ///
    /// The walk ends at the first OID outside the subtree, at `endOfMibView`, or (v1) at
    /// noSuchName. An empty subtree falls back to a GET of `root` itself, as the net-snmp
    /// tools do. Throws `.nonIncreasingOID` if the agent loops and `.limitExceeded` past `limit`.
    public func walk(
        _ root: String, from target: SNMPTarget, maxRepetitions: Int = 25, limit: Int = 1_000_000
    ) async throws(SNMPError) -> [VarBind] {
        let rootOID = try NumericOID(parsing: root)
        var cursor = rootOID
        var collected: [VarBind] = []
        let useBulk = if case .v1 = target.security { false } else { true }
        walking: while true {
            let operation: SNMPRequest.Operation =
                useBulk ? .getBulk(nonRepeaters: 0, maxRepetitions: maxRepetitions) : .getNext
            let page: [DecodedVarBind]
            switch await perform(operation, [cursor], target) {
            case .success(let varBinds): page = varBinds
            case .failure(.agentError(status: 2, _)) where !useBulk: break walking  // v1 end of MIB
            case .failure(let error): throw error
            }
            if page.isEmpty { break }
            for varBind in page {
                if varBind.value == .endOfMibView || !varBind.oid.hasPrefix(rootOID) { break walking }
                guard cursor < varBind.oid else { throw .nonIncreasingOID(varBind.oid.description) }
                guard collected.count < limit else { throw .limitExceeded(limit) }
                collected.append(varBind.varBind)
                cursor = varBind.oid
            }
        }
        if collected.isEmpty, case .success(let exact) = await perform(.get, [rootOID], target),
            let varBind = exact.first, !Self.isException(varBind.value)
        {
            collected.append(varBind.varBind)
        }
        return collected
    }

    private static func isException(_ value: SNMPValue) -> Bool {
        switch value {
        case .noSuchObject, .noSuchInstance, .endOfMibView: true
        default: false
        }
    }
}
