import OutpostCore

/// The rows of table columns read in one walk, with the agent's `sysUpTime` at the walk.
public struct SNMPTableWalk: Sendable, Equatable {
    /// One row of a column: the instance (OID suffix after the column, dotted decimal) and its value.
    public struct Cell: Sendable, Equatable {
        /// The OID suffix after the column, e.g. `3` for ifIndex 3.
        public var instance: String
        /// The value with its SNMP type.
        public var value: SNMPValue

        public init(instance: String, value: SNMPValue) {
            self.instance = instance
            self.value = value
        }
    }

    /// The cells of each column walked, keyed by the column OID as given (in OID order).
    public var columns: [String: [Cell]]
    /// The agent's `sysUpTime.0` read with the walk (hundredths of a second), when it answered.
    public var uptime: UInt32?
    /// Requests the walk sent.
    public var requests: Int

    public init(columns: [String: [Cell]], uptime: UInt32?, requests: Int) {
        self.columns = columns
        self.uptime = uptime
        self.requests = requests
    }
}

extension SNMPEngine {
    /// `sysUpTime`, asked as a non-repeater with the first GETBULK of a table walk.
    static let sysUpTimeColumn = "1.3.6.1.2.1.1.3"

    /// Walks `columns` together, like `snmpbulkwalk` of each but sharing requests: every
    /// GETBULK carries the next OID of each column still open, with as many repetitions as keep
    /// a response near `varBindsPerResponse` bindings (halved when the agent answers tooBig).
    /// The first request also reads `sysUpTime.0` (a non-repeater), so rates can tell a reboot
    /// from a wrap. SNMPv1 has no GETBULK: each column is walked with GETNEXT and the uptime
    /// read with a GET. A column ends at the first OID outside it or at `endOfMibView`.
    /// Throws `.nonIncreasingOID` if the agent loops and `.limitExceeded` past `rowLimit` rows
    /// in a column.
    public func walkColumns(
        _ columns: [String], from target: SNMPTarget, varBindsPerResponse: Int = 64, rowLimit: Int = 10_000
    ) async throws(SNMPError) -> SNMPTableWalk {
        guard !columns.isEmpty else { return SNMPTableWalk(columns: [:], uptime: nil, requests: 0) }
        if case .v1 = target.security {
            return try await walkColumnsOneByOne(columns, from: target, rowLimit: rowLimit)
        }
        let roots = try columns.map { (oid) throws(SNMPError) in try NumericOID(parsing: oid) }
        let uptimeRoot = try NumericOID(parsing: Self.sysUpTimeColumn)
        var cursors = roots
        var cells = [[SNMPTableWalk.Cell]](repeating: [], count: roots.count)
        var open = Array(roots.indices)
        var uptime: UInt32?
        var askUptime = true
        var requests = 0
        var responseBudget = max(varBindsPerResponse, 1)
        while !open.isEmpty {
            // At most maxOIDsPerRequest - 1 columns per request, leaving room for the uptime.
            let asked = Array(open.prefix(Self.maxOIDsPerRequest - 1))
            let repetitions = min(max(responseBudget / asked.count, 1), 1_000)
            let oids = (askUptime ? [uptimeRoot] : []) + asked.map { cursors[$0] }
            requests += 1
            let page: [DecodedVarBind]
            switch await perform(
                .getBulk(nonRepeaters: askUptime ? 1 : 0, maxRepetitions: repetitions), oids, target)
            {
            case .success(let varBinds): page = varBinds
            case .failure(.agentError(status: 1, _)) where repetitions > 1:  // tooBig: ask for fewer
                responseBudget = max(responseBudget / 2, asked.count)
                continue
            case .failure(let error): throw error
            }
            var rows = page[...]
            if askUptime {
                askUptime = false
                if let first = rows.first, first.oid.hasPrefix(uptimeRoot), case .timeTicks(let ticks) = first.value {
                    uptime = ticks
                }
                rows = rows.dropFirst()
                if rows.isEmpty { continue }
            }
            if rows.isEmpty { break }
            var ended = Set<Int>()
            // Repetition-major: binding k belongs to asked[k % asked.count].
            for (offset, varBind) in rows.enumerated() {
                let column = asked[offset % asked.count]
                if ended.contains(column) { continue }
                guard varBind.value != .endOfMibView, varBind.oid.hasPrefix(roots[column]),
                    varBind.oid.components.count > roots[column].components.count
                else {
                    ended.insert(column)
                    continue
                }
                guard cursors[column] < varBind.oid else { throw .nonIncreasingOID(varBind.oid.description) }
                guard cells[column].count < rowLimit else { throw .limitExceeded(rowLimit) }
                cells[column].append(
                    SNMPTableWalk.Cell(
                        instance: Self.suffix(of: varBind.oid, after: roots[column]), value: varBind.value))
                cursors[column] = varBind.oid
            }
            open.removeAll { ended.contains($0) }
        }
        return SNMPTableWalk(columns: Self.keyed(cells, by: columns), uptime: uptime, requests: requests)
    }

    /// SNMPv1: a GETNEXT walk per column and a GET of `sysUpTime.0`.
    private func walkColumnsOneByOne(_ columns: [String], from target: SNMPTarget, rowLimit: Int)
        async throws(SNMPError) -> SNMPTableWalk
    {
        var uptime: UInt32?
        if case .success(let bindings) = await perform(.get, [Self.sysUpTimeColumn + ".0"], target),
            case .timeTicks(let ticks)? = bindings.first?.value
        {
            uptime = ticks
        }
        var cells: [[SNMPTableWalk.Cell]] = []
        var requests = 1
        for column in columns {
            let root = try NumericOID(parsing: column)
            let bindings = try await walk(column, from: target, limit: rowLimit)
            requests += bindings.count + 1
            cells.append(
                bindings.compactMap { binding in
                    guard let oid = try? NumericOID(parsing: binding.oid),
                        oid.components.count > root.components.count
                    else { return nil }
                    return SNMPTableWalk.Cell(instance: Self.suffix(of: oid, after: root), value: binding.value)
                })
        }
        return SNMPTableWalk(columns: Self.keyed(cells, by: columns), uptime: uptime, requests: requests)
    }

    private static func suffix(of oid: NumericOID, after root: NumericOID) -> String {
        oid.components.dropFirst(root.components.count).map(String.init).joined(separator: ".")
    }

    private static func keyed(_ cells: [[SNMPTableWalk.Cell]], by columns: [String]) -> [String: [SNMPTableWalk.Cell]] {
        var keyed: [String: [SNMPTableWalk.Cell]] = [:]
        for (column, rows) in zip(columns, cells) { keyed[column, default: []] += rows }
        return keyed
    }
}
