import Foundation

extension UUID {
    /// Whether this id sorts before `other` in PostgreSQL's `uuid` order: byte by byte, which
    /// is also the order of their hex text. Compares the bytes: formatting both as text (which
    /// Foundation does with `sprintf`) made sorting a thousand ids a visible share of ingest.
    func precedesInDatabaseOrder(_ other: UUID) -> Bool {
        withUnsafeBytes(of: uuid) { mine in
            withUnsafeBytes(of: other.uuid) { theirs in mine.lexicographicallyPrecedes(theirs) }
        }
    }
}
