import Checksum
import HDF5

/// FNV-1a-64 over every string attribute of a file's groups and datasets: the root, then its
/// children by name, depth first, each object's attributes by name, as "PATH@NAME=VALUE\n" lines
/// (a dataset's PATH is its group's followed by its name, e.g. "/updates"). HDF5 keeps
/// variable-length strings in its global heap, which carries no checksum, so a flipped bit in the
/// config text, the task list or a network's name would otherwise read back silently. Checkpoints
/// and episode logs record it in the root attribute `attribute` when written; their readers
/// compare it last, where it is present (files written before it have none and are read as before).
enum StringAttributesChecksum {
    /// The root attribute (int64) that records the checksum.
    static let attribute = "strings_fnv1a64"

    static func compute(_ root: HDF5Group) throws -> UInt64 {
        var fnv = FNV1a64()
        try add(root, path: "/", to: &fnv)
        return fnv.value
    }

    /// Records the checksum of `root`'s file as it is now: write it after the last string attribute.
    static func record(in root: HDF5Group) throws {
        try root.attributes.write(attribute, Int64(bitPattern: try compute(root)))
    }

    /// Throws `.corrupted` when `f` records a checksum that its string attributes (named in the
    /// message by `what`, e.g. "config, tasks, names") no longer have; nothing for a file without one.
    static func verify(_ f: StoredFile, what: String) throws {
        let root = f.hdf5.root
        guard try root.attributes.contains(attribute) else { return }
        let stored = UInt64(bitPattern: try f.int(root, attribute))
        let actual = try compute(root)
        guard stored == actual else {
            throw CheckpointError(
                .corrupted, f.path,
                "corrupted: the FNV-1a-64 checksum of the string attributes (\(what)) is "
                    + "\(CheckpointFile.hex(actual)), the file records \(CheckpointFile.hex(stored)); bits changed on disk"
            )
        }
    }

    private static func add(_ group: HDF5Group, path: String, to fnv: inout FNV1a64) throws {
        try add(group.attributes, path: path, to: &fnv)
        for child in try group.children().sorted() {
            if let sub = try? group.openGroup(child) {
                try add(sub, path: path + child + "/", to: &fnv)
            } else if let dataset = try? group.openDataset(child) {
                try add(dataset.attributes, path: path + child, to: &fnv)
            }
        }
    }

    private static func add(_ attributes: HDF5Attributes, path: String, to fnv: inout FNV1a64) throws {
        for name in try attributes.names().sorted() {
            let value: String
            do {
                value = try attributes.read(name, as: String.self)
            } catch let error as HDF5Error where error.kind == .typeMismatch {
                continue  // a number: its object header is checksummed
            }
            Array("\(path)@\(name)=\(value)\n".utf8).withUnsafeBytes { fnv.add($0) }
        }
    }
}
