import Foundation

/// A check of an HDF5 file's signature and superblock (HDF5 File Format Specification,
/// "Superblock", versions 0–3) done with plain reads before H5Fopen. HDF5 itself refuses a damaged
/// superblock too, but in SWMR-read mode it first retries the read with exponential backoff for
/// its 100 metadata read attempts (minutes); this check refuses it in microseconds, with a
/// message that says what is wrong.
enum HDF5Superblock {
    static let signature: [UInt8] = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]

    /// Where the signature is: offset 0, or 512, 1024, 2048, … (after a user block), as HDF5
    /// searches. nil if nowhere.
    static func signatureOffset(_ file: FileHandle, size: UInt64) throws -> UInt64? {
        var offset: UInt64 = 0
        while offset + 8 <= size {
            try file.seek(toOffset: offset)
            if [UInt8](try file.read(upToCount: 8) ?? Data()) == signature { return offset }
            offset = offset == 0 ? 512 : offset * 2
        }
        return nil
    }

    /// Throws `.notHDF5File` without a signature, `.damagedSuperblock` when a superblock field
    /// is impossible or (versions 2 and 3) its checksum does not match. A file that passes may
    /// still be truncated or damaged further in; HDF5 reports those.
    static func check(_ path: String) throws {
        do {
            try checkBytes(path)
        } catch let error as HDF5Error {
            throw error
        } catch {
            // Unreadable for another reason (permissions, I/O): HDF5's open says why.
        }
    }

    private static func checkBytes(_ path: String) throws {
        let fail = { (detail: String) in
            HDF5Error(.damagedSuperblock, "open file", path: path, detail: "the HDF5 superblock is damaged (\(detail))")
        }
        guard let file = FileHandle(forReadingAtPath: path) else { return }  // HDF5 reports why it cannot open it
        defer { try? file.close() }
        let size = (try? file.seekToEnd()) ?? 0
        guard let base = try signatureOffset(file, size: size) else {
            throw HDF5Error(
                .notHDF5File, "open file", path: path, detail: "the file has no HDF5 signature (another format?)")
        }
        try file.seek(toOffset: base)
        let bytes = [UInt8](try file.read(upToCount: 256) ?? Data())
        guard bytes.count >= 12 else { throw fail("only \(bytes.count) bytes after the signature") }
        let version = Int(bytes[8])
        guard version <= 3 else { throw fail("superblock version \(version); HDF5 file formats have versions 0 to 3") }
        let sizesAt = version >= 2 ? 9 : 13
        guard bytes.count > sizesAt + 1 else { throw fail("the file ends inside the superblock") }
        let offsetSize = Int(bytes[sizesAt]), lengthSize = Int(bytes[sizesAt + 1])
        for (name, n) in [("offsets", offsetSize), ("lengths", lengthSize)] where ![2, 4, 8, 16, 32].contains(n) {
            throw fail("size of \(name) \(n); HDF5 allows 2, 4, 8, 16 or 32")
        }
        var reader = FieldReader(bytes: bytes, offsetSize: offsetSize)
        if version >= 2 {
            let end = 12 + 4 * offsetSize
            guard bytes.count >= end + 4 else { throw fail("the file ends inside the superblock") }
            let stored =
                UInt32(bytes[end]) | UInt32(bytes[end + 1]) << 8 | UInt32(bytes[end + 2]) << 16 | UInt32(bytes[end + 3])
                << 24
            let actual = JenkinsLookup3.hash(Array(bytes[0..<end]))
            guard stored == actual else {
                throw fail(String(format: "its checksum is 0x%08x, the superblock records 0x%08x", actual, stored))
            }
            reader.at = 12
            _ = reader.address()  // base address
            let extensionAddress = reader.address(), eof = reader.address(), root = reader.address()
            try within(root, eof, "root group", fail)
            if let extensionAddress { try within(extensionAddress, eof, "superblock extension", fail) }
        } else {
            reader.at = version == 0 ? 24 : 28
            guard bytes.count >= reader.at + 6 * offsetSize else { throw fail("the file ends inside the superblock") }
            guard bytes[9] == 0, bytes[10] == 0, bytes[12] == 0 else {
                throw fail(
                    "free-space, symbol-table or shared-header version \(bytes[9]), \(bytes[10]), \(bytes[12]); version \(version) superblocks hold 0"
                )
            }
            let leafK = Int(bytes[16]) | Int(bytes[17]) << 8, internalK = Int(bytes[18]) | Int(bytes[19]) << 8
            guard leafK > 0, internalK > 0 else {
                throw fail("group B-tree K values \(leafK), \(internalK); they must be positive")
            }
            _ = reader.address()  // base address
            let freeSpace = reader.address(), eof = reader.address(), driverInfo = reader.address()
            _ = reader.address()  // root symbol-table entry: link name offset
            let root = reader.address()
            try within(root, eof, "root group", fail)
            if let freeSpace { try within(freeSpace, eof, "free-space information", fail) }
            if let driverInfo { try within(driverInfo, eof, "driver information", fail) }
        }
    }

    /// An address (relative to the base) must lie before the end-of-file address it records.
    private static func within(_ address: UInt64?, _ eof: UInt64?, _ what: String, _ fail: (String) -> HDF5Error) throws
    {
        guard let address else { throw fail("the \(what) address is undefined") }
        guard let eof else { throw fail("the end-of-file address is undefined") }
        guard address < eof else {
            throw fail("the \(what) address \(address) lies beyond the end-of-file address \(eof)")
        }
    }

    /// Little-endian addresses of the file's offset size (the caller checked the length); nil
    /// for HDF5's undefined address (all bits set). Wider than 64 bits reads as UInt64.max.
    private struct FieldReader {
        let bytes: [UInt8]
        let offsetSize: Int
        var at = 0

        mutating func address() -> UInt64? {
            defer { at += offsetSize }
            let field = bytes[at..<(at + offsetSize)]
            if field.allSatisfy({ $0 == 0xff }) { return nil }
            guard field.dropFirst(8).allSatisfy({ $0 == 0 }) else { return UInt64.max }
            return field.prefix(8).enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        }
    }
}
