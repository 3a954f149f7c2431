/// The test environment lacks something a test needs, or a helper it runs failed.
public struct TestEnvironmentError: Error, CustomStringConvertible {
    public let description: String

    public init(_ description: String) { self.description = description }
}
