/// Why an ``ICMPEngine`` could not start.
public struct ICMPEngineError: Error, CustomStringConvertible {
    /// What failed, with the system's reason and what to change.
    public let description: String
    /// The `errno` of the failed call, 0 for a refused configuration.
    public let code: Int32
}
