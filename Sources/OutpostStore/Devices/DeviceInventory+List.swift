import Foundation
import PostgresNIO

extension DeviceInventory {
    /// A page of devices matching `query`, in its order, after its cursor.
    ///
    /// - Throws: ``InputError`` for a limit outside 1…1000, an overlong filter or a cursor
    ///   that is not one this list handed out for the same order.
    public func list(_ query: DeviceQuery, on connection: PostgresConnection) async throws -> DevicePage {
        try Self.validate(query)
        let cursor = try query.cursor.map { (text) throws(InputError) in
            try DeviceCursor(text, sort: query.sort, descending: query.descending)
        }
        var sql = DeviceListSQL(sort: query.sort, descending: query.descending)
        if let search = query.search, !search.isEmpty {
            // One lower() per device over its fields joined by line breaks (a search has no
            // control characters, so it matches within one field); the branches' names are
            // searched once, not joined to every device.
            let needle = sql.bind(search)
            sql.filter(
                """
                (strpos(lower(d.name || E'\\n' || d.ip || E'\\n' || coalesce(d.hostname, '')), lower(\(needle))) > 0
                 OR d.branch_id = ANY(ARRAY(SELECT id FROM branches WHERE strpos(lower(name), lower(\(needle))) > 0)))
                """)
        }
        if let branch = query.branch { sql.filter("b.name = \(sql.bind(branch))") }
        if let regions = query.regions { sql.filter("b.region = ANY(\(sql.bind(Array(regions)))::text[])") }
        if let enabled = query.enabled { sql.filter("d.enabled = \(sql.bind(enabled))") }
        if let deviceType = query.deviceType { sql.filter("d.device_type = \(sql.bind(deviceType))") }
        if let state = query.state { sql.filter("(\(DeviceState.sql)) = \(sql.bind(state.rawValue))") }
        if let cursor { sql.after(cursor) }
        let rows = try await connection.query(sql.query(limit: query.limit + 1), logger: logger)
        var devices: [DeviceRecord] = []
        var keys: [[String]] = []
        for try await row in rows {
            devices.append(try DeviceRecord(row: row))
            keys.append(try DeviceListSQL.keys(of: row, sort: query.sort))
        }
        // One row more than the page: there is a next page, after the page's last device.
        guard devices.count > query.limit else { return DevicePage(devices: devices, nextCursor: nil) }
        let page = Array(devices.prefix(query.limit))
        let next = DeviceCursor(
            sort: query.sort, descending: query.descending, keys: keys[query.limit - 1], id: page[query.limit - 1].id)
        return DevicePage(devices: page, nextCursor: next.encoded)
    }

    private static func validate(_ query: DeviceQuery) throws(InputError) {
        guard (1...DeviceQuery.maximumLimit).contains(query.limit) else {
            throw InputError(
                field: "limit", reason: "must be 1 to \(DeviceQuery.maximumLimit), not \(query.limit)")
        }
        if let search = query.search, !search.isEmpty {
            try DeviceValidation.text(search, field: "search", maximum: 200)
        }
        try DeviceValidation.branch(query.branch)
        try DeviceValidation.optional(query.deviceType, field: "device_type", maximum: 100)
        for region in query.regions ?? [] { try DeviceValidation.text(region, field: "regions", maximum: 100) }
    }
}

/// The SELECT of one page: filters, the keyset condition after a cursor, and the order.
struct DeviceListSQL {
    let sort: DeviceSort
    let descending: Bool
    private var conditions: [String] = []
    private var binds = PostgresBindings()

    init(sort: DeviceSort, descending: Bool) {
        self.sort = sort
        self.descending = descending
    }

    /// Adds `value` to the statement's parameters; returns its placeholder.
    mutating func bind<Value: PostgresDynamicTypeEncodable>(_ value: Value) -> String {
        binds.append(value)
        return "$\(binds.count)"
    }

    /// Adds a condition every row must meet.
    mutating func filter(_ condition: String) {
        conditions.append(condition)
    }

    /// Only rows after `cursor` in the order.
    mutating func after(_ cursor: DeviceCursor) {
        let placeholders = cursor.keys.map { bind($0) } + [bind(cursor.id)]
        let typed = zip(Self.comparedKeys(sort), placeholders.dropLast()).map { "\($1)::\($0.type)" }
        let left = (Self.comparedKeys(sort).map(\.expression) + ["d.id"]).joined(separator: ", ")
        let right = (typed + ["\(placeholders[placeholders.count - 1])::uuid"]).joined(separator: ", ")
        filter("(\(left)) \(descending ? "<" : ">") (\(right))")
    }

    /// The statement, at most `limit` rows.
    func query(limit: Int) -> PostgresQuery {
        let direction = descending ? "DESC" : "ASC"
        let order = (Self.orderedKeys(sort) + ["d.id"]).map { "\($0) \(direction)" }.joined(separator: ", ")
        let keys = Self.comparedKeys(sort).enumerated().map { "(\($1.expression))::text AS sort_key_\($0)" }
        let sql = """
            SELECT \(DeviceRecord.columns), \(keys.joined(separator: ", "))
            FROM \(DeviceRecord.from)
            \(conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: "\n  AND "))
            ORDER BY \(order)
            LIMIT \(limit)
            """
        return PostgresQuery(unsafeSQL: sql, binds: binds)
    }

    /// The sort keys of `row`, as a cursor carries them.
    static func keys(of row: PostgresRow, sort: DeviceSort) throws -> [String] {
        let cells = row.makeRandomAccess()
        return try comparedKeys(sort).indices.map { try cells["sort_key_\($0)"].decode(String.self, context: .default) }
    }

    /// The expressions a cursor's keys are compared with, and their SQL types.
    private static func comparedKeys(_ sort: DeviceSort) -> [(expression: String, type: String)] {
        switch sort {
        case .name: [("lower(d.name)", "text")]
        case .ip: [("d.ip", "text")]
        case .branch: [("coalesce(b.name, '')", "text"), ("lower(d.name)", "text")]
        case .updated: [("(extract(epoch FROM coalesce(d.updated_at, d.created_at)) * 1000000)::bigint", "bigint")]
        }
    }

    /// The expressions of ORDER BY: those compared, but the time itself for `updated` (the same
    /// order as its microseconds, and what the index of migration 13 holds).
    private static func orderedKeys(_ sort: DeviceSort) -> [String] {
        switch sort {
        case .updated: ["coalesce(d.updated_at, d.created_at)"]
        default: comparedKeys(sort).map(\.expression)
        }
    }
}
