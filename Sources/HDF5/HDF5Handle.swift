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

    init(_ id: hid_t, _ kind: Kind) {
        self.id = id
        self.kind = kind
    }

    var isOpen: Bool { id >= 0 }

    /// Idempotent. An id that HDF5 already invalidated (a file closed with the strong close
    /// degree takes its open objects with it) is dropped without a second close.
    func close(path: String, object: String? = nil) throws {
        guard id >= 0 else { return }
        let old = id
        id = -1
        guard silenced({ H5Iis_valid(old) }) > 0 else { return }
        switch kind {
        case .file: try check(H5Fclose(old), "close file", path: path, object: object)
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
