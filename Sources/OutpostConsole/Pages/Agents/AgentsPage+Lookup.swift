import Mustache

/// An agent line hands its values to the template by name without reflection (one agent per
/// branch makes hundreds of lines, and a `Mirror` per value looked up dominated the page's
/// time). Every stored property is listed; an optional's `nil` counts as absent, as
/// swift-mustache's reflection makes it.
extension AgentsPage.AgentLine: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "id": id
        case "name": self.name
        case "branch": branch
        case "connection": connection
        case "connectionSymbol": connectionSymbol
        case "lastSeen": lastSeen
        case "lastSeenAge": lastSeenAge
        case "lastAddress": lastAddress
        case "version": version
        case "certificateExpiry": certificateExpiry
        case "certificateDaysLeft": certificateDaysLeft
        case "certificateState": certificateState
        case "certificateWarning": certificateWarning
        case "configVersion": configVersion
        case "spoolBacklog": spoolBacklog
        case "droppedResults": droppedResults
        case "hasBacklog": hasBacklog
        case "hasDropped": hasDropped
        default: nil
        }
    }
}
