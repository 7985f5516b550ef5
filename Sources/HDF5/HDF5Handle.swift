internal import CHDF5

/// Owns one HDF5 identifier and closes it exactly once: on `close()` or, failing that, in
/// deinit. Every hid_t the module opens lives in one of these (or in a `defer` next to the call
/// that made it), which is what keeps H5Fget_obj_count at zero after use.
final class HDF5Handle {
    enum Kind: String {
        case file, group, dataset, attribute, dataspace, datatype, propertyList = "property list"
    }

    let kind: Kind
    private(set) var id: hid_t
    /// For a group or dataset: its file's handle. When that file is abandoned, this id is dead too.
    private let fileHandle: HDF5Handle?
    /// A file whose close failed (HDF5Library explains why its id must never be used again).
    private(set) var isAbandoned = false

    init(_ id: hid_t, _ kind: Kind, in file: HDF5Handle? = nil) {
        self.id = id
        self.kind = kind
        self.fileHandle = file
        if kind == .file { HDF5Library.didOpen(id) }
    }

    var isOpen: Bool { id >= 0 }

    /// Gives up a file without closing it (its flush failed, so its close would fail too, and a
    /// failed H5Fclose frees the file but keeps the id: HDF5Library). HDF5's structures for it
    /// stay alive and consistent, so the library stays usable for other files; the id, and the
    /// file descriptor under it, are never used again.
    func abandon() {
        guard kind == .file, id >= 0 else { return }
        HDF5Library.didAbandon(id)
        isAbandoned = true
        id = -1
    }

    /// Whether this object's file was given up after a failed close.
    var belongsToAbandonedFile: Bool { isAbandoned || (fileHandle?.isAbandoned ?? false) }

    /// Idempotent. An id that HDF5 already invalidated (a file closed with the strong close
    /// degree takes its open objects with it) is dropped without a second close. If closing a
    /// file fails, HDF5 has freed it but kept its id, so the id is abandoned, not retried.
    func close(path: String, object: String? = nil) throws {
        guard id >= 0 else { return }
        let old = id
        id = -1
        if belongsToAbandonedFile { return }
        guard silenced({ H5Iis_valid(old) }) > 0 else {
            if kind == .file { HDF5Library.didClose(old) }
            return
        }
        switch kind {
        case .file:
            do {
                try check(H5Fclose(old), "close file", path: path, object: object)
                HDF5Library.didClose(old)
            } catch {
                isAbandoned = true
                HDF5Library.didAbandon(old)
                throw error
            }
        case .group: try check(H5Gclose(old), "close group", path: path, object: object)
        case .dataset: try check(H5Dclose(old), "close dataset", path: path, object: object)
        case .attribute: try check(H5Aclose(old), "close attribute", path: path, object: object)
        case .dataspace: try check(H5Sclose(old), "close dataspace", path: path, object: object)
        case .datatype: try check(H5Tclose(old), "close datatype", path: path, object: object)
        case .propertyList: try check(H5Pclose(old), "close property list", path: path, object: object)
        }
    }

    deinit {
        // Nothing to report to here; an explicit close() is how callers see close errors.
        try? close(path: "(deinit)")
    }
}

extension HDF5Handle {
    /// For short-lived ids (dataspaces, datatypes, property lists) closed in a `defer` right after
    /// creation; the `defer` also keeps the handle alive until the C calls using its id are done.
    func dispose() {
        try? close(path: "(temporary \(kind.rawValue))")
    }
}
