import Foundation
import Hummingbird
import Logging
import OutpostStore

/// Alert rules: `/api/v1/rules` (list, create) and `/api/v1/rules/{id}` (read, change,
/// delete). Everyone reads them; admins write them. An expression is parsed when written: one
/// that does not parse is refused with the position of the error.
struct AlertRuleRoutes: Sendable {
    static let fields: Set<String> = [
        "name", "description", "expression", "severity", "enabled", "deviceId", "branch", "deviceGroup", "webhooks",
        "emailRecipients", "trace",
    ]

    struct NewRule: Decodable {
        let draft: AlertRuleDraft

        init(from decoder: any Decoder) throws {
            let fields = try JSONFields(from: decoder, known: AlertRuleRoutes.fields)
            var draft = AlertRuleDraft(
                name: try fields.required("name"), expression: try fields.required("expression"),
                severity: try fields.required("severity"))
            draft.description = try fields.optional("description")
            draft.enabled = try fields.optional("enabled") ?? true
            draft.deviceID = try fields.optional("deviceId")
            draft.branchName = try fields.optional("branch")
            draft.deviceGroup = try fields.optional("deviceGroup")
            draft.webhooks = try fields.optional("webhooks") ?? []
            draft.emailRecipients = try fields.optional("emailRecipients") ?? []
            draft.trace = try fields.optional("trace") ?? false
            self.draft = draft
        }
    }

    struct RuleChanges: Decodable {
        let patch: AlertRulePatch

        init(from decoder: any Decoder) throws {
            let fields = try JSONFields(from: decoder, known: AlertRuleRoutes.fields)
            var patch = AlertRulePatch()
            patch.name = try fields.optional("name")
            patch.description = try fields.nullable("description")
            patch.expression = try fields.optional("expression")
            patch.severity = try fields.optional("severity")
            patch.enabled = try fields.optional("enabled")
            patch.deviceID = try fields.nullable("deviceId")
            patch.branchName = try fields.nullable("branch")
            patch.deviceGroup = try fields.nullable("deviceGroup")
            patch.webhooks = try fields.optional("webhooks")
            patch.emailRecipients = try fields.optional("emailRecipients")
            patch.trace = try fields.optional("trace")
            self.patch = patch
        }
    }

    let logger: Logger

    func register(on api: ManagementAPI) {
        let rules = AlertRuleAdmin(logger: logger)
        api.on(.get, "rules", .read) { _, _, user in
            JSONResponse.make(APIListing(name: "rules", items: try await user.run { try await rules.list(on: $0) }))
        }
        api.on(.get, "rules/{id}", .read) { _, context, user in
            let id = try context.parameters.uuid("id")
            guard let rule = try await user.run({ try await rules.rule(id: id, on: $0) }) else {
                throw APIError.notFound("no rule \(id.uuidString.lowercased())")
            }
            return JSONResponse.make(rule)
        }
        api.on(.post, "rules", .configure) { request, _, user in
            let draft = try await RequestBody.decode(NewRule.self, from: request).draft
            return JSONResponse.make(
                try await user.run { try await rules.create(draft, by: user.actor, on: $0) }, status: .created)
        }
        api.on(.patch, "rules/{id}", .configure) { request, context, user in
            let id = try context.parameters.uuid("id")
            let patch = try await RequestBody.decode(RuleChanges.self, from: request).patch
            let rule = try await user.run { try await rules.update(id: id, patch, by: user.actor, on: $0) }
            return JSONResponse.make(rule)
        }
        api.on(.delete, "rules/{id}", .configure) { _, context, user in
            let id = try context.parameters.uuid("id")
            try await user.run { try await rules.delete(id: id, by: user.actor, on: $0) }
            return Response(status: .noContent)
        }
    }
}
