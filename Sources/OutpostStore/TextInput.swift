/// The checks every operator-entered text passes before it reaches a column.
enum TextInput {
    /// Why `text` is refused, or `nil`: it must have `minimumLength` to `maximumLength`
    /// characters and no control characters (except line breaks and tabs when `multiline`).
    static func problem(_ text: String, minimumLength: Int = 1, maximumLength: Int, multiline: Bool = false)
        -> String?
    {
        guard text.count >= minimumLength, text.count <= maximumLength else {
            return minimumLength == 0
                ? "must be at most \(maximumLength) characters"
                : "must be \(minimumLength) to \(maximumLength) characters"
        }
        let allowed: Set<Unicode.Scalar> = multiline ? ["\n", "\r", "\t"] : []
        let control = text.unicodeScalars.contains {
            $0.properties.generalCategory == .control && !allowed.contains($0)
        }
        return control ? "must not contain control characters" : nil
    }
}
