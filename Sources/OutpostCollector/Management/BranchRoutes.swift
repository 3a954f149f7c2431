import Foundation
import Hummingbird
import Logging
import OutpostStore

/// Branches: `/api/v1/branches` (list, within a regional manager's regions; create) and
/// `/api/v1/branches/{id}` (read, change, delete). Changing branches is an admin's.
struct BranchRoutes: Sendable {
    static let fields: Set<String> = [
        "name", "displayName", "displayNameKa", "region", "city", "latitude", "longitude", "address", "branchCode",
        "gatewayDeviceId", "isActive",
    ]

    struct NewBranch: Decodable {
        let draft: BranchDraft

        init(from decoder: any Decoder) throws {
            let fields = try JSONFields(from: decoder, known: BranchRoutes.fields)
            var draft = BranchDraft(name: try fields.required("name"))
            draft.displayName = try fields.optional("displayName")
            draft.displayNameKa = try fields.optional("displayNameKa")
            draft.region = try fields.optional("region")
            draft.city = try fields.optional("city")
            draft.latitude = try fields.optional("latitude")
            draft.longitude = try fields.optional("longitude")
            draft.address = try fields.optional("address")
            draft.branchCode = try fields.optional("branchCode")
            draft.gatewayDeviceID = try fields.optional("gatewayDeviceId")
            draft.isActive = try fields.optional("isActive") ?? true
            self.draft = draft
        }
    }

    struct BranchChanges: Decodable {
        let patch: BranchPatch

        init(from decoder: any Decoder) throws {
            let fields = try JSONFields(from: decoder, known: BranchRoutes.fields)
            var patch = BranchPatch()
            patch.name = try fields.optional("name")
            patch.displayName = try fields.optional("displayName")
            patch.displayNameKa = try fields.nullable("displayNameKa")
            patch.region = try fields.nullable("region")
            patch.city = try fields.nullable("city")
            patch.latitude = try fields.nullable("latitude")
            patch.longitude = try fields.nullable("longitude")
            patch.address = try fields.nullable("address")
            patch.branchCode = try fields.nullable("branchCode")
            patch.gatewayDeviceID = try fields.nullable("gatewayDeviceId")
            patch.isActive = try fields.optional("isActive")
            self.patch = patch
        }
    }

    let logger: Logger

    func register(on api: ManagementAPI) {
        let directory = BranchDirectory(logger: logger)
        api.on(.get, "branches", .read) { _, _, user in
            let scope = user.principal.regionScope
            return JSONResponse.make(
                APIListing(
                    name: "branches", items: try await user.run { try await directory.list(regions: scope, on: $0) }))
        }
        api.on(.get, "branches/{id}", .read) { _, context, user in
            let id = try context.parameters.uuid("id")
            let branch = try await user.run { try await directory.branch(id: id, on: $0) }
            guard let branch, AccessPolicy.reaches(user.principal, region: branch.region) else {
                throw APIError.notFound("no branch \(id.uuidString.lowercased())")
            }
            return JSONResponse.make(branch)
        }
        api.on(.post, "branches", .editBranches) { request, _, user in
            let draft = try await RequestBody.decode(NewBranch.self, from: request).draft
            let branch = try await user.run { try await directory.create(draft, by: user.actor, on: $0) }
            return JSONResponse.make(branch, status: .created)
        }
        api.on(.patch, "branches/{id}", .editBranches) { request, context, user in
            let id = try context.parameters.uuid("id")
            let patch = try await RequestBody.decode(BranchChanges.self, from: request).patch
            let branch = try await user.run { try await directory.update(id: id, patch, by: user.actor, on: $0) }
            return JSONResponse.make(branch)
        }
        api.on(.delete, "branches/{id}", .editBranches) { _, context, user in
            let id = try context.parameters.uuid("id")
            try await user.run { try await directory.delete(id: id, by: user.actor, on: $0) }
            return Response(status: .noContent)
        }
    }
}
