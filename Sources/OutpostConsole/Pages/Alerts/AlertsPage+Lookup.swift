import Mustache

/// An alert line hands its values to the template by name without reflection: the alerts page
/// draws hundreds of them during an outage, and a `Mirror` per value looked up cost most of
/// the page's time. Every stored property is listed; an optional's `nil` counts as absent, as
/// swift-mustache's reflection makes it.
extension AlertsPage.AlertLine: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "id": id
        case "severity": severity
        case "since": since
        case "age": age
        case "device": device
        case "deviceID": deviceID
        case "branch": branch
        case "rule": rule
        case "message": message
        case "value": value
        case "acknowledged": acknowledged
        case "acknowledgedBy": acknowledgedBy
        case "acknowledgedAt": acknowledgedAt
        case "acknowledgementComment": acknowledgementComment
        case "resolvedAt": resolvedAt
        case "resolvedBy": resolvedBy
        case "resolutionComment": resolutionComment
        case "inMaintenance": inMaintenance
        default: nil
        }
    }
}
