/// Why a device CSV file was not imported.
public enum DeviceImportError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Larger than the 10 MB limit.
    case tooLarge(bytes: Int)
    /// More data rows than the limit.
    case tooManyRows(maximum: Int)
    /// Not CSV as RFC 4180 writes it.
    case malformed(String)
    /// The header line is missing, lacks a required column or names an unknown or repeated one.
    case header(String)
    /// Rows were refused, so nothing was applied: every one of them.
    case refused([DeviceImportPlan.Refusal])

    public var description: String {
        switch self {
        case .tooLarge(let bytes):
            "the file has \(bytes) bytes; at most \(DeviceCSVReader.maximumBytes) (10 MB) are accepted"
        case .tooManyRows(let maximum): "the file has more than \(maximum) rows; split it"
        case .malformed(let reason): "the file is not valid CSV: \(reason)"
        case .header(let reason): "header line: \(reason)"
        case .refused(let refusals):
            "\(refusals.count) \(refusals.count == 1 ? "row" : "rows") refused, nothing applied:\n"
                + refusals.map(\.description).joined(separator: "\n")
        }
    }
}
