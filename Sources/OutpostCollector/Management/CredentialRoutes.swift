import Foundation
import Hummingbird
import Logging
import OutpostPKI
import OutpostStore
import PostgresNIO

/// A device's SNMP credential, write-only: `PUT`, `GET` (no secret ever) and `DELETE` on
/// `/api/v1/devices/{id}/credential`. Secrets are sealed with the master key before they are
/// stored; without a key these routes answer 503.
struct CredentialRoutes: Sendable {
    /// The body of `PUT`: the fields of `credentials set`.
    struct CredentialBody: Decodable {
        let input: SNMPCredentialInput

        init(from decoder: any Decoder) throws {
            let fields = try JSONFields(
                from: decoder,
                known: ["version", "community", "user", "authProtocol", "authKey", "privProtocol", "privKey"])
            input = SNMPCredentialInput(
                version: try fields.required("version"), community: try fields.optional("community"),
                user: try fields.optional("user"), authProtocol: try fields.optional("authProtocol"),
                authKey: try fields.optional("authKey"), privProtocol: try fields.optional("privProtocol"),
                privKey: try fields.optional("privKey"))
        }
    }

    /// What `GET` shows: never a community or key.
    struct CredentialView: Encodable {
        let version: String
        let user: String?
        let authProtocol: String?
        let privProtocol: String?
        let securityLevel: String?
        let set = true

        init(_ summary: SNMPCredentialSummary) {
            version = summary.version
            user = summary.username
            authProtocol = summary.authProtocol
            privProtocol = summary.privProtocol
            securityLevel = summary.securityLevel
        }
    }

    let masterKey: MasterKey?
    let logger: Logger

    func register(on api: ManagementAPI) {
        let store = CredentialStore(logger: logger)
        let masterKey = self.masterKey
        let path = "devices/{id}/credential"
        api.on(.put, path, .configure) { request, context, user in
            let key = try Self.require(masterKey)
            let id = try context.parameters.uuid("id")
            let credential = try await RequestBody.decode(CredentialBody.self, from: request).input.resolve()
            let summary = try await user.run { connection in
                try await Self.requireDevice(id, store, on: connection)
                try await store.replaceSNMPCredential(
                    try key.seal(credential, id: UUID(), device: id), by: user.actor, on: connection)
                return try await store.snmpCredential(ofDevice: id, on: connection)
            }
            guard let summary else { throw APIError.notFound("no device \(id.uuidString.lowercased())") }
            return JSONResponse.make(CredentialView(summary))
        }
        api.on(.get, path, .configure) { _, context, user in
            _ = try Self.require(masterKey)
            let id = try context.parameters.uuid("id")
            let summary = try await user.run { connection in
                try await Self.requireDevice(id, store, on: connection)
                return try await store.snmpCredential(ofDevice: id, on: connection)
            }
            guard let summary else { throw Self.noCredential(id) }
            return JSONResponse.make(CredentialView(summary))
        }
        api.on(.delete, path, .configure) { _, context, user in
            _ = try Self.require(masterKey)
            let id = try context.parameters.uuid("id")
            let deleted = try await user.run { connection in
                try await Self.requireDevice(id, store, on: connection)
                return try await store.deleteSNMPCredential(ofDevice: id, by: user.actor, on: connection)
            }
            guard deleted else { throw Self.noCredential(id) }
            return Response(status: .noContent)
        }
    }

    private static func require(_ key: MasterKey?) throws -> MasterKey {
        guard let key else {
            throw APIError(
                status: .serviceUnavailable,
                message: "no master key: start the collector with its master key to manage SNMP credentials")
        }
        return key
    }

    /// 404 for a device that has no SNMP credential.
    private static func noCredential(_ id: UUID) -> APIError {
        .notFound("device \(id.uuidString.lowercased()) has no SNMP credential")
    }

    /// Throws 404 for an unknown device.
    private static func requireDevice(_ id: UUID, _ store: CredentialStore, on connection: PostgresConnection)
        async throws
    {
        do {
            _ = try await store.device(id.uuidString, on: connection)
        } catch is DeviceLookupError {
            throw APIError.notFound("no device \(id.uuidString.lowercased())")
        }
    }
}
