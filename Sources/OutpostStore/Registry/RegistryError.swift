/// A registry operation was refused; nothing was changed.
public enum RegistryError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No branch has this name.
    case unknownBranch(String)
    /// No agent has this id.
    case unknownAgent(String)
    /// No enrolment token has this id.
    case unknownToken(String)
    /// A name or text is empty or too long for its column.
    case invalidValue(field: String, reason: String)

    public var description: String {
        switch self {
        case .unknownBranch(let name):
            "no branch named \(name.debugDescription) (create it with `outpost-collector branch add`)"
        case .unknownAgent(let id): "no agent with id \(id)"
        case .unknownToken(let id): "no enrolment token with id \(id)"
        case .invalidValue(let field, let reason): "\(field): \(reason)"
        }
    }
}
