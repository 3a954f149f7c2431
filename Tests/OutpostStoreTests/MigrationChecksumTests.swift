import Testing

@testable import OutpostStore

/// The checksums recorded in `schema_migrations` of every database in service: the SQL of a
/// shipped migration must never change by a byte (`/readyz` and the runner refuse a mismatch).
@Suite("Migration checksums")
struct MigrationChecksumTests {
    @Test("each shipped migration's SQL has its recorded checksum")
    func pinned() {
        let pinned = [
            "afd6916b8c22c4ba48abf285c1c88dc9f8e45c853829bd28906e7b544a82d961",
            "e86e600aa34c5d3ed7c6a6ae33d6c9fe388cc8f5319339c890f2364bf2afe418",
            "cab0dee3f0acae7b21531f41291ac9e318240d6ba9cc117dd5845fbb44c514d7",
            "947c0a4928ffa2713e064413ac38bcea64eafb82149163789678c6682f8fcc8e",
            "40d230c900baeca09e19ced2668381ebef87c5542af874c9820548d8777501b1",
            "b33dfd383fa4292c84b8c045e6fb4e8c0931daf004275a7ef7e70a078a3b6b34",
            "11c137c3a5ec2e51eb9eaf79c66d0676d70efc38f4aa1c9994012aad38598743",
            "fcd583f7264b16d4196e5cc6b07a6c3a14df7554569f6546959db62b1f796468",
            "f5a205bc0bd156c35f89ffca87ddd89d3a72eaf753b6343df23936b455dfd025",
            "35f4d77e81ff87e6c8b060c6674a49d254e6dfcf5e398b593bc98045dd93010a",
            "ceebc3b25440948b288a55846bddd87c3cdd6fac6e098b6c5e52516bd8116ef4",
        ]
        let shipped = Migration.all.prefix(pinned.count)
        #expect(shipped.map(\.version) == Array(1...pinned.count))
        #expect(shipped.map(MigrationRunner.checksum) == pinned)
    }
}
