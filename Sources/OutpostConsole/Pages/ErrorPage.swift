/// A page saying why a console page could not be shown (forbidden, not found, database down).
public struct ErrorPage: ConsolePage {
    public static let template = "error"
    public let status: Int
    public let message: String

    public init(status: Int, message: String) {
        self.status = status
        self.message = message
    }
}
