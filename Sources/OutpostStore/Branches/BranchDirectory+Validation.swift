import Foundation
import PostgresNIO

extension BranchDirectory {
    /// Longest address accepted (`branches.address` is TEXT; this keeps it an address).
    public static let maximumAddressLength = 500

    /// Refuses text that does not fit its column (names and codes on one line).
    static func validateText(
        name: String, displayName: String, displayNameKa: String?, address: String?, branchCode: String?
    ) throws(InputError) {
        let checks: [(field: String, problem: String?)] = [
            ("name", TextInput.problem(name, maximumLength: BranchRegistry.maximumNameLength)),
            ("display_name", TextInput.problem(displayName, maximumLength: 200)),
            ("display_name_ka", displayNameKa.flatMap { TextInput.problem($0, maximumLength: 200) }),
            (
                "address",
                address.flatMap { TextInput.problem($0, maximumLength: maximumAddressLength, multiline: true) }
            ),
            ("branch_code", branchCode.flatMap { TextInput.problem($0, maximumLength: 10) }),
        ]
        for check in checks {
            if let problem = check.problem { throw InputError(field: check.field, reason: problem) }
        }
    }

    /// Refuses coordinates out of range, or one without the other.
    static func validateCoordinates(latitude: Double?, longitude: Double?) throws(InputError) {
        if let latitude, !(latitude.isFinite && (-90...90).contains(latitude)) {
            throw InputError(field: "latitude", reason: "must be between -90 and 90")
        }
        if let longitude, !(longitude.isFinite && (-180...180).contains(longitude)) {
            throw InputError(field: "longitude", reason: "must be between -180 and 180")
        }
        switch (latitude, longitude) {
        case (nil, .some): throw InputError(field: "latitude", reason: "must be given with longitude")
        case (.some, nil): throw InputError(field: "longitude", reason: "must be given with latitude")
        default: break
        }
    }

    /// The region and town after a change: `nil` leaves one as it is, `.some(nil)` clears it.
    /// A new town without a region moves the branch to the town's region; a region must be a
    /// `georgian_regions.name_en` and contain the branch's town.
    func resolve(region: String??, city: String??, current: BranchGeography, on connection: PostgresConnection)
        async throws -> BranchGeography
    {
        var result = current
        if let city {
            result.cityName = city
            result.cityID = nil
            result.cityRegion = nil
            if let city {
                let rows = try await connection.query(
                    """
                    SELECT c.id, r.name_en FROM georgian_cities c JOIN georgian_regions r ON r.id = c.region_id
                    WHERE c.name_en = \(city)
                    """, logger: logger)
                for try await (id, cityRegion) in rows.decode((Int32, String).self) {
                    result.cityID = id
                    result.cityRegion = cityRegion
                }
                guard let cityRegion = result.cityRegion else {
                    throw InputError(field: "city", reason: "no town named \(city) in georgian_cities")
                }
                if region == nil { result.region = cityRegion }
            }
        }
        if let region {
            result.region = region
            if let region {
                let rows = try await connection.query(
                    "SELECT name_en FROM georgian_regions ORDER BY name_en", logger: logger)
                var known: [String] = []
                for try await name in rows.decode(String.self) { known.append(name) }
                guard known.contains(region) else {
                    throw InputError(
                        field: "region", reason: "must be one of \(known.joined(separator: ", ")); not \(region)")
                }
            }
        }
        if let cityRegion = result.cityRegion, let cityName = result.cityName, result.region != cityRegion {
            throw InputError(
                field: city != nil ? "city" : "region",
                reason: "the town \(cityName) is in \(cityRegion), not in \(result.region ?? "no region")")
        }
        return result
    }

    /// Refuses an edge router that is not a device of the branch.
    func checkGateway(_ device: UUID, branch: UUID, on connection: PostgresConnection) async throws {
        let rows = try await connection.query(
            "SELECT count(*) FROM standalone_devices WHERE id = \(device) AND branch_id = \(branch)", logger: logger)
        for try await count in rows.decode(Int.self) where count > 0 { return }
        throw InputError(field: "gateway_device_id", reason: "must be a device of this branch")
    }
}
