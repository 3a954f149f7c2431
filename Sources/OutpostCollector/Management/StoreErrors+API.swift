import OutpostStore

// How the stores' errors answer over the management API: a refused value is a 400 naming its
// field, an id that names nothing a 404, a state that forbids the change a 409.

extension MaintenanceWindowError: FieldError {}
extension MaintenanceWindowNotFound: NotFoundError {}
extension BranchInputError: FieldError {}
extension AlertRuleInputError: FieldError {}
extension AlertRuleAdminError: NotFoundError {}
extension AlertInputError: FieldError {}

extension BranchDirectoryError: APIAnswerable {
    var apiError: APIError {
        switch self {
        case .notFound: .notFound(description)
        case .agentsEnrolled: .conflict(description)
        }
    }
}

extension DeviceInputError: FieldError {}
extension DeviceNotFoundError: NotFoundError {}
extension SNMPCredentialInputError: FieldError {}

extension DeviceImportError: APIAnswerable {
    var apiError: APIError { .badRequest(description, field: "file") }
}
