import OutpostStore

// How the stores' errors answer over the management API: a refused value is a 400 naming its
// field, an id that names nothing a 404.

extension MaintenanceWindowError: FieldError {}
extension MaintenanceWindowNotFound: NotFoundError {}
