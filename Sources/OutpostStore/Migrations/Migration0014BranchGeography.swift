extension Migration {
    /// Where a branch is, for operators and maps:
    /// - `branches.display_name_ka`: the branch's name in Georgian;
    /// - `branches.city_id`: its town in `georgian_cities` (detached, not deleted, if the town goes);
    /// - `branches.latitude`/`longitude`: its own position, both or neither, overriding the town's.
    static let branchGeography = Migration(
        version: 14,
        name: "branch_geography",
        sql: EmbeddedResources.text("Migrations/0014-branch-geography.sql")
    )
}
