extension EmbeddedResources {
    /// The text of the file at `path` under `Resources/`.
    ///
    /// A missing path is a mistake in this module (a file renamed or removed without its use),
    /// which every test run that touches the resource reveals.
    static func text(_ path: String) -> String {
        guard let text = files[path] else { preconditionFailure("no embedded resource \(path)") }
        return text
    }
}
