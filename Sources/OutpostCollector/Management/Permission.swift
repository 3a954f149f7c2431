import OutpostStore

/// What a route of the management API requires. Which role holds which permission is decided
/// here and nowhere else (``AccessPolicy``); a regional manager's region limits are applied by
/// the routes to the entities they touch.
public enum Permission: String, Sendable, CaseIterable {
    /// Read inventory, state, alerts and rules (within the operator's regions).
    case read
    /// Acknowledge and resolve alerts.
    case operateAlerts = "operate_alerts"
    /// Run diagnostics and discovery.
    case runJobs = "run_jobs"
    /// Create, change and delete devices, import them, and put them in maintenance.
    case editDevices = "edit_devices"
    /// Create, change and delete branches.
    case editBranches = "edit_branches"
    /// Alert rules, templates, SNMP credentials and settings.
    case configure
    /// Users and API tokens of others, and the audit log.
    case administer
}

/// The one place where roles meet permissions.
public enum AccessPolicy {
    /// The permissions of `role`.
    public static func permissions(of role: OperatorRole) -> Set<Permission> {
        switch role {
        case .viewer: [.read]
        case .technician: [.read, .operateAlerts, .runJobs]
        case .regionalManager: [.read, .operateAlerts, .runJobs, .editDevices]
        case .admin: Set(Permission.allCases)
        }
    }

    /// Whether `role` holds `permission`.
    public static func allows(_ role: OperatorRole, _ permission: Permission) -> Bool {
        permissions(of: role).contains(permission)
    }

    /// Whether `principal` may touch an entity in `region` (`nil`: an entity outside every
    /// region, which only operators without a region limit may touch).
    public static func reaches(_ principal: OperatorPrincipal, region: String?) -> Bool {
        guard let scope = principal.regionScope else { return true }
        guard let region else { return false }
        return scope.contains(region)
    }
}
