/// The login form; the script posts it to `/api/v1/session` and goes on to `next`.
public struct LoginPage: ConsolePage {
    public static let template = "login"
    /// The console path to open after logging in (a local path only).
    public let next: String

    /// - Parameter next: where to go after logging in; anything but a local path becomes `/`.
    public init(next: String?) {
        self.next = next.flatMap(Self.localPath) ?? "/"
    }

    /// `path` if it is a path of this site (one leading `/`, no scheme, no `//`, no backslash,
    /// no control characters), else `nil`: the login page must not become an open redirect.
    static func localPath(_ path: String) -> String? {
        guard path.hasPrefix("/"), !path.hasPrefix("//"), path.count <= 512,
            !path.unicodeScalars.contains(where: { $0 == "\\" || $0.value < 0x20 || $0.value == 0x7F })
        else { return nil }
        return path
    }
}
