/// A template or a template operation was refused; nothing was changed.
public enum TemplateError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The template (or one of its items or triggers) breaks a rule.
    case invalid(template: String, reason: String)
    /// A template file is not valid JSON of a template or a list of templates.
    case unreadable(source: String, reason: String)
    /// No template has this name.
    case unknownTemplate(String)
    /// `--match` needs a vendor or device types to select by.
    case nothingToMatch(template: String)
    /// Built-in templates are not deleted (import them again to restore their content).
    case builtin(String)

    public var description: String {
        switch self {
        case .invalid(let template, let reason): "template \(template.debugDescription): \(reason)"
        case .unreadable(let source, let reason): "\(source): not a template or a JSON array of templates: \(reason)"
        case .unknownTemplate(let name):
            "no template named \(name.debugDescription) (see `outpost-collector templates list`)"
        case .nothingToMatch(let template):
            "template \(template.debugDescription) has no vendor and no device types to match devices by; name the devices with --device"
        case .builtin(let name): "template \(name.debugDescription) is built in and cannot be deleted"
        }
    }
}
