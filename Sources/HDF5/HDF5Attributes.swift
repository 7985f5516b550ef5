internal import CHDF5
internal import CHDF5Shims

/// The attributes of one file (root group), group or dataset: small named values such as the
/// format version, the config text or an update count. Writing a name that exists replaces it.
/// Strings are stored as variable-length UTF-8, which h5py returns as `str`.
public struct HDF5Attributes {
    /// Keeps the file/group/dataset (and so its id) alive while this value is in use.
    private let owner: AnyObject
    private let file: HDF5File
    private let object: String
    private let ownerID: (String) throws -> hid_t

    init(owner: AnyObject, file: HDF5File, object: String, ownerID: @escaping (String) throws -> hid_t) {
        self.owner = owner
        self.file = file
        self.object = object
        self.ownerID = ownerID
    }

    private var path: String { file.path }

    private func label(_ name: String) -> String { "\(object) @\(name)" }

    // MARK: Writing

    public func write<T: HDF5Numeric>(_ name: String, _ value: T) throws {
        try withUnsafeBytes(of: value) { bytes in
            try writeRaw(name, kind: T.hdf5Kind, valueSize: MemoryLayout<T>.size, shape: [], bytes: bytes.baseAddress!)
        }
    }

    public func write<T: HDF5Numeric>(_ name: String, _ values: [T]) throws {
        // HDF5 wants a non-NULL buffer even for zero elements; any valid address will do.
        var placeholder: Int64 = 0
        try values.withUnsafeBytes { bytes in
            try withUnsafeBytes(of: &placeholder) { fallback in
                try writeRaw(
                    name, kind: T.hdf5Kind, valueSize: MemoryLayout<T>.size, shape: [values.count],
                    bytes: bytes.baseAddress ?? fallback.baseAddress!)
            }
        }
    }

    public func write(_ name: String, _ value: String) throws {
        guard !value.utf8.contains(0) else {
            throw HDF5Error(
                .invalidArgument, "write attribute", path: path, object: label(name),
                detail: "the string contains a NUL byte, which C strings cannot hold")
        }
        let type = try HDF5Datatype.variableLengthString(path: path, object: label(name))
        defer { type.dispose() }
        try value.withCString { text in
            var pointer: UnsafePointer<CChar>? = text
            try withUnsafePointer(to: &pointer) { buffer in
                try writeAttribute(
                    name, fileType: type.id, memoryType: type.id, shape: [], buffer: UnsafeRawPointer(buffer))
            }
        }
    }

    private func writeRaw(
        _ name: String, kind: HDF5ScalarKind, valueSize: Int, shape: [Int], bytes: UnsafeRawPointer
    ) throws {
        try checkLayout(kind, valueSize, "write attribute", path: path, object: label(name))
        try writeAttribute(name, fileType: kind.fileType, memoryType: kind.memoryType, shape: shape, buffer: bytes)
    }

    private func writeAttribute(
        _ name: String, fileType: hid_t, memoryType: hid_t, shape: [Int], buffer: UnsafeRawPointer
    ) throws {
        defer { withExtendedLifetime(owner) {} }
        let op = "write attribute"
        guard !name.isEmpty else {
            throw HDF5Error(
                .invalidArgument, op, path: path, object: label(name), detail: "attribute names must be non-empty")
        }
        try file.refuseStructuralChange(op, object: label(name))
        let loc = try ownerID(op)
        if try checkBool(H5Aexists(loc, name), op, path: path, object: label(name)) {
            try check(H5Adelete(loc, name), "replace attribute", path: path, object: label(name))
        }
        let space = try HDF5Dataspace.make(shape, path: path, object: label(name))
        defer { space.dispose() }
        let p = ccelim_h5p_default()
        let attribute = HDF5Handle(
            try check(H5Acreate2(loc, name, fileType, space.id, p, p), op, path: path, object: label(name)), .attribute)
        defer { attribute.dispose() }
        try check(H5Awrite(attribute.id, memoryType, buffer), op, path: path, object: label(name))
        try attribute.close(path: path, object: label(name))
    }

    // MARK: Reading

    public func read<T: HDF5Numeric>(_ name: String, as type: T.Type = T.self) throws -> T {
        let values: [T] = try readNumeric(name, scalar: true)
        return values[0]
    }

    public func read<T: HDF5Numeric>(_ name: String, as type: [T].Type) throws -> [T] {
        try readNumeric(name, scalar: false)
    }

    public func read(_ name: String, as type: String.Type) throws -> String {
        let op = "read string attribute"
        return try withAttribute(name, op) { attribute, fileType, space in
            guard silenced({ H5Tget_class(fileType) }) == H5T_STRING else {
                throw HDF5Error(
                    .typeMismatch, op, path: path, object: label(name), detail: "the attribute is not a string")
            }
            let count = try HDF5Dataspace.elementCount(of: space, path: path, object: label(name))
            guard count == 1 else {
                throw HDF5Error(
                    .shapeMismatch, op, path: path, object: label(name), detail: "expected one string, found \(count)")
            }
            let memoryType = HDF5Handle(try check(H5Tcopy(fileType), op, path: path, object: label(name)), .datatype)
            defer { memoryType.dispose() }
            if try checkBool(H5Tis_variable_str(fileType), op, path: path, object: label(name)) {
                var pointer: UnsafeMutablePointer<CChar>? = nil
                try check(H5Aread(attribute, memoryType.id, &pointer), op, path: path, object: label(name))
                // HDF5 malloc'ed the characters; give them back to HDF5 to free.
                defer { _ = silenced { H5Dvlen_reclaim(memoryType.id, space, ccelim_h5p_default(), &pointer) } }
                return pointer.map { String(cString: $0) } ?? ""
            } else {
                let size = silenced { H5Tget_size(fileType) }
                guard size > 0 else { throw libraryError(op, path: path, object: label(name)) }
                var bytes = [UInt8](repeating: 0, count: size)
                try check(H5Aread(attribute, memoryType.id, &bytes), op, path: path, object: label(name))
                // Fixed-length strings are NUL- or space-padded to their declared size.
                let used = bytes.firstIndex(of: 0) ?? bytes.count
                return String(decoding: bytes[..<used], as: UTF8.self)
            }
        }
    }

    private func readNumeric<T: HDF5Numeric>(_ name: String, scalar: Bool) throws -> [T] {
        let op = scalar ? "read attribute" : "read array attribute"
        try checkLayout(T.hdf5Kind, MemoryLayout<T>.size, op, path: path, object: label(name))
        return try withAttribute(name, op) { attribute, fileType, space in
            let stored = HDF5ScalarKind.of(storedType: fileType)
            guard stored == T.hdf5Kind else {
                throw HDF5Error(
                    .typeMismatch, op, path: path, object: label(name),
                    detail: "asked for \(T.hdf5Kind.rawValue), stored \(stored?.rawValue ?? "another type")")
            }
            let count = try HDF5Dataspace.elementCount(of: space, path: path, object: label(name))
            if scalar && count != 1 {
                throw HDF5Error(
                    .shapeMismatch, op, path: path, object: label(name), detail: "expected one value, found \(count)")
            }
            return try [T](unsafeUninitializedCapacity: count) { buffer, initialized in
                if count > 0 {
                    try check(
                        H5Aread(attribute, T.hdf5Kind.memoryType, buffer.baseAddress!), op, path: path,
                        object: label(name))
                }
                initialized = count
            }
        }
    }

    /// Opens attribute `name`, its stored type and space, for the duration of `body`.
    private func withAttribute<R>(_ name: String, _ op: String, _ body: (hid_t, hid_t, hid_t) throws -> R) throws -> R {
        defer { withExtendedLifetime(owner) {} }
        let loc = try ownerID(op)
        let attribute = HDF5Handle(
            try check(H5Aopen(loc, name, ccelim_h5p_default()), op, path: path, object: label(name)), .attribute)
        defer { attribute.dispose() }
        let fileType = HDF5Handle(try check(H5Aget_type(attribute.id), op, path: path, object: label(name)), .datatype)
        defer { fileType.dispose() }
        let space = HDF5Handle(try check(H5Aget_space(attribute.id), op, path: path, object: label(name)), .dataspace)
        defer { space.dispose() }
        return try body(attribute.id, fileType.id, space.id)
    }

    // MARK: Listing

    public func contains(_ name: String) throws -> Bool {
        defer { withExtendedLifetime(owner) {} }
        let loc = try ownerID("look up attribute")
        return try checkBool(H5Aexists(loc, name), "look up attribute", path: path, object: label(name))
    }

    /// Attribute names, sorted.
    public func names() throws -> [String] {
        defer { withExtendedLifetime(owner) {} }
        final class Names { var items: [String] = [] }
        let names = Names()
        let loc = try ownerID("list attributes")
        _ = try withExtendedLifetime(names) {
            try check(
                H5Aiterate2(
                    loc, H5_INDEX_NAME, H5_ITER_INC, nil,
                    { _, name, _, client in
                        guard let name, let client else { return -1 }
                        Unmanaged<Names>.fromOpaque(client).takeUnretainedValue().items.append(String(cString: name))
                        return 0
                    }, Unmanaged.passUnretained(names).toOpaque()), "list attributes", path: path, object: object)
        }
        return names.items
    }

    public func delete(_ name: String) throws {
        defer { withExtendedLifetime(owner) {} }
        try file.refuseStructuralChange("delete attribute", object: label(name))
        let loc = try ownerID("delete attribute")
        try check(H5Adelete(loc, name), "delete attribute", path: path, object: label(name))
    }
}

/// Guards the raw-memory copies: a type conforming to HDF5Numeric must really be laid out as
/// the kind it claims (only the module's four conformances are, but the protocol is public).
func checkLayout(_ kind: HDF5ScalarKind, _ size: Int, _ operation: String, path: String, object: String?) throws {
    guard size == kind.byteCount else {
        throw HDF5Error(
            .invalidArgument, operation, path: path, object: object,
            detail: "a \(size)-byte Swift type cannot stand for \(kind.rawValue)")
    }
}
