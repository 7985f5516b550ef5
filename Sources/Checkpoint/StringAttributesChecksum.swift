import Checksum
import HDF5

/// FNV-1a-64 over every string attribute of a file's groups: the root, then its child groups by
/// name, depth first, each group's attributes by name, as "PATH@NAME=VALUE\n" lines. HDF5 keeps
/// variable-length strings in its global heap, which carries no checksum, so a flipped bit in the
/// config text, the task list or a network's name would otherwise read back silently. A
/// checkpoint records it in `CheckpointSchema.stringsChecksumAttribute`; the reader compares it
/// where it is present (files written before it have none and are read as before).
enum StringAttributesChecksum {
    static func compute(_ root: HDF5Group) throws -> UInt64 {
        var fnv = FNV1a64()
        try add(root, path: "/", to: &fnv)
        return fnv.value
    }

    private static func add(_ group: HDF5Group, path: String, to fnv: inout FNV1a64) throws {
        for name in try group.attributes.names().sorted() {
            let value: String
            do {
                value = try group.attributes.read(name, as: String.self)
            } catch let error as HDF5Error where error.kind == .typeMismatch {
                continue  // a number: its object header is checksummed
            }
            Array("\(path)@\(name)=\(value)\n".utf8).withUnsafeBytes { fnv.add($0) }
        }
        for child in try group.children().sorted() {
            guard let sub = try? group.openGroup(child) else { continue }  // a dataset
            try add(sub, path: path + child + "/", to: &fnv)
        }
    }
}
