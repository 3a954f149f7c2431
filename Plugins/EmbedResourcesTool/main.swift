// Writes the `EmbeddedResources` enum of the EmbedResources plugin:
//
//   EmbedResourcesTool <resources folder> <output .swift file> <relative path>…
//
// Each UTF-8 file becomes one entry of a dictionary from its relative path to its text, as a
// string literal with every character that needs it escaped, so the text is byte for byte the
// file. Any other file (a font, an image) becomes an entry of a second dictionary, as Base64: a
// string literal compiles in no time, where an array literal of its bytes would take minutes.
import Foundation

let arguments = CommandLine.arguments
guard arguments.count >= 3 else {
    FileHandle.standardError.write(
        Data("usage: EmbedResourcesTool <resources folder> <output> <relative path>…\n".utf8))
    exit(64)
}
let root = URL(fileURLWithPath: arguments[1])
let output = URL(fileURLWithPath: arguments[2])

/// `text` as the body of a Swift string literal.
func escaped(_ text: String) -> String {
    var literal = ""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\\": literal += "\\\\"
        case "\"": literal += "\\\""
        case "\n": literal += "\\n"
        case "\r": literal += "\\r"
        case "\t": literal += "\\t"
        case _ where scalar.value < 0x20 || scalar.value == 0x7F:
            literal += "\\u{\(String(scalar.value, radix: 16))}"
        default: literal.unicodeScalars.append(scalar)
        }
    }
    return literal
}

var entries: [String] = []
var binaryEntries: [String] = []
for path in arguments.dropFirst(3) {
    let data = try Data(contentsOf: root.appending(path: path))
    if let text = String(data: data, encoding: .utf8) {
        entries.append("        \"\(escaped(path))\": \"\(escaped(text))\",\n")
    } else {
        binaryEntries.append("        \"\(escaped(path))\": \"\(data.base64EncodedString())\",\n")
    }
}

/// The body of a dictionary literal of `entries`.
func dictionary(_ entries: [String]) -> String {
    entries.isEmpty ? ":]" : "\n" + entries.joined() + "    ]"
}
let source = """
    // Generated at build time by the EmbedResources plugin from the target's Resources/ folder.

    /// The files of the target's `Resources/` folder.
    enum EmbeddedResources {
        /// File text by path relative to `Resources/`.
        static let files: [String: String] = [\(dictionary(entries))
        /// Base64 of the files that are not UTF-8 text, by path relative to `Resources/`.
        static let binaryFiles: [String: String] = [\(dictionary(binaryEntries))
    }

    """
try Data(source.utf8).write(to: output, options: .atomic)
