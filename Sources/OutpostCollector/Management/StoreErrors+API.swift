import OutpostStore

// How the stores' errors answer over the management API: a refused value is a 400 naming its
// field, an id that names nothing a 404, a state that forbids the change a 409.

extension MaintenanceWindowNotFound: NotFoundError {}
extension AlertRuleAdminError: NotFoundError {}
extension DeviceNotFoundError: NotFoundError {}

extension BranchDirectoryError: APIAnswerable {
    var apiError: APIError {
        switch self {
        case .notFound: .notFound(description)
        case .agentsEnrolled: .conflict(description)
        }
    }
}

extension DeviceImportError: APIAnswerable {
    var apiError: APIError { .badRequest(description, field: "file") }
}
