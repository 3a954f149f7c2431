/// A page model turned into what Mustache looks names up in fastest: dictionaries, arrays and
/// plain values, made with one `Mirror` per model value.
///
/// swift-mustache reflects on a struct each time a template looks a name up in it, so a row
/// of ten fields drawn 875 times cost thousands of `Mirror`s and most of a page's time.
/// Dictionaries are looked up by key (`MustacheParent`), so the console flattens a page once
/// before rendering it. Stored properties become keys; an optional's `nil` leaves its key
/// out, which Mustache treats as it treats a missing name.
enum TemplateValues {
    /// `value` flattened: structs become `[String: Any]`, collections arrays of their flattened
    /// elements, optionals their wrapped value or `nil`; strings, numbers and booleans stay.
    static func flatten(_ value: Any) -> Any? {
        switch value {
        case is String, is Bool, is Int, is Double: return value
        default: break
        }
        let mirror = Mirror(reflecting: value)
        switch mirror.displayStyle {
        case .optional:
            return mirror.children.first.flatMap { flatten($0.value) }
        case .collection, .set:
            return mirror.children.compactMap { flatten($0.value) }
        case .struct, .class:
            var fields: [String: Any] = [:]
            for child in mirror.children {
                if let label = child.label, let flat = flatten(child.value) { fields[label] = flat }
            }
            return fields
        default:
            return value
        }
    }
}
