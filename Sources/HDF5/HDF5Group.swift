internal import CHDF5
internal import CHDF5Shims

/// A group: a folder of groups and datasets. `file.root` borrows the file's id instead of
/// opening "/", so holding the root never counts as an open group (SWMR start refuses those).
public final class HDF5Group {
    public let file: HDF5File
    /// Absolute name inside the file, e.g. "/episodes".
    public let name: String
    private let handle: HDF5Handle?

    init(file: HDF5File, handle: HDF5Handle?, name: String) {
        self.file = file
        self.handle = handle
        self.name = name
    }

    func validID(_ operation: String) throws -> hid_t {
        let fileID = try file.validID(operation)
        guard let handle else { return fileID }
        guard handle.isOpen else {
            throw HDF5Error(.closed, operation, path: file.path, object: name, detail: "the group was already closed")
        }
        return handle.id
    }

    /// Absolute name of a child.
    func childName(_ child: String) -> String {
        name == "/" ? "/" + child : name + "/" + child
    }

    public var attributes: HDF5Attributes {
        HDF5Attributes(owner: self, file: file, object: name) { [self] op in try validID(op) }
    }

    public func createGroup(_ child: String) throws -> HDF5Group {
        defer { withExtendedLifetime(self) {} }
        let object = childName(child)
        try validateName(child, "create group", object: object)
        try file.refuseStructuralChange("create group", object: object)
        let p = ccelim_h5p_default()
        let loc = try validID("create group")
        let id = try check(H5Gcreate2(loc, child, p, p, p), "create group", path: file.path, object: object)
        return HDF5Group(file: file, handle: HDF5Handle(id, .group, in: file.handle), name: object)
    }

    public func openGroup(_ child: String) throws -> HDF5Group {
        defer { withExtendedLifetime(self) {} }
        let object = childName(child)
        let loc = try validID("open group")
        let id = try check(H5Gopen2(loc, child, ccelim_h5p_default()), "open group", path: file.path, object: object)
        return HDF5Group(file: file, handle: HDF5Handle(id, .group, in: file.handle), name: object)
    }

    /// Whether a direct child (group or dataset) of this name exists.
    public func contains(_ child: String) throws -> Bool {
        defer { withExtendedLifetime(self) {} }
        let loc = try validID("look up child")
        return try checkBool(
            H5Lexists(loc, child, ccelim_h5p_default()),
            "look up child", path: file.path, object: childName(child))
    }

    /// Names of the direct children, sorted by name.
    public func children() throws -> [String] {
        defer { withExtendedLifetime(self) {} }
        final class Names { var items: [String] = [] }
        let names = Names()
        let id = try validID("list children")
        _ = try withExtendedLifetime(names) {
            try check(
                H5Literate(
                    id, H5_INDEX_NAME, H5_ITER_INC, nil,
                    { _, name, _, client in
                        guard let name, let client else { return -1 }
                        Unmanaged<Names>.fromOpaque(client).takeUnretainedValue().items.append(String(cString: name))
                        return 0
                    }, Unmanaged.passUnretained(names).toOpaque()), "list children", path: file.path, object: name)
        }
        return names.items
    }

    /// Closes the group now rather than when the last reference goes. Idempotent.
    public func close() throws {
        try handle?.close(path: file.path, object: name)
    }

    func validateName(_ child: String, _ operation: String, object: String) throws {
        if child.isEmpty || child.contains("/") || child == "." {
            throw HDF5Error(
                .invalidArgument, operation, path: file.path, object: object,
                detail: "a child name must be non-empty and contain no '/'")
        }
    }
}
