/// Which outages an availability report lists besides its figures. The figures (outage count,
/// MTTR, MTBF) never need the list: it is built, with the alerts of each outage, only on request.
public enum OutageListing: Sendable, Equatable {
    /// No list: the figures only (the fastest report).
    case omitted
    /// Every outage of the report's devices.
    case all
    /// The outages of the devices in the row with this key (see ``AvailabilityRow/key``).
    case group(String)
}
