internal import CHDF5
internal import CHDF5Shims

/// Builders for the derived HDF5 types the module writes. Each returns an owned handle the
/// caller disposes.
enum HDF5Datatype {
    /// Variable-length UTF-8 string (h5py: `str`).
    static func variableLengthString(path: String, object: String?) throws -> HDF5Handle {
        let op = "make string type"
        let type = HDF5Handle(try check(H5Tcopy(ccelim_h5t_c_s1()), op, path: path, object: object), .datatype)
        do {
            try check(H5Tset_size(type.id, ccelim_h5t_variable()), op, path: path, object: object)
            try check(H5Tset_cset(type.id, H5T_CSET_UTF8), op, path: path, object: object)
        } catch {
            type.dispose()
            throw error
        }
        return type
    }

    /// A packed compound type for `layout`, with file (little-endian) or native member types.
    static func compound(
        _ layout: HDF5CompoundLayout, inMemory: Bool, path: String, object: String?
    ) throws -> HDF5Handle {
        let op = "make compound type"
        if let problem = layout.problem {
            throw HDF5Error(.invalidArgument, op, path: path, object: object, detail: problem)
        }
        let type = HDF5Handle(
            try check(H5Tcreate(H5T_COMPOUND, layout.rowSize), op, path: path, object: object), .datatype)
        do {
            for (field, offset) in zip(layout.fields, layout.offsets) {
                let member = inMemory ? field.kind.memoryType : field.kind.fileType
                try check(H5Tinsert(type.id, field.name, offset, member), op, path: path, object: object)
            }
        } catch {
            type.dispose()
            throw error
        }
        return type
    }

    /// A variable-length sequence of `kind` (one row = one sequence of any length).
    static func sequence(of kind: HDF5ScalarKind, inMemory: Bool, path: String, object: String?) throws -> HDF5Handle {
        let base = inMemory ? kind.memoryType : kind.fileType
        return HDF5Handle(try check(H5Tvlen_create(base), "make sequence type", path: path, object: object), .datatype)
    }
}
