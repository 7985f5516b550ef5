internal import CHDF5
internal import CHDF5Shims

/// Dataspace helpers: shapes in, shapes out, row selections. Shapes are row-major [Int],
/// first dimension = rows; `nil` in a max shape means unlimited (extendable along that axis).
enum HDF5Dataspace {
    /// A simple dataspace of `shape` ([] = scalar).
    static func make(_ shape: [Int], maxShape: [Int?]? = nil, path: String, object: String?) throws -> HDF5Handle {
        if shape.isEmpty {
            return HDF5Handle(
                try check(H5Screate(H5S_SCALAR), "create scalar dataspace", path: path, object: object), .dataspace)
        }
        let dims = shape.map { hsize_t($0) }
        let maxDims = maxShape?.map { $0.map { hsize_t($0) } ?? ccelim_h5s_unlimited() }
        let id: hid_t = try {
            if let maxDims {
                return try check(
                    H5Screate_simple(Int32(dims.count), dims, maxDims), "create dataspace", path: path, object: object)
            }
            return try check(
                H5Screate_simple(Int32(dims.count), dims, nil), "create dataspace", path: path, object: object)
        }()
        return HDF5Handle(id, .dataspace)
    }

    /// Current dimensions of a dataspace ([] for scalar, and for a null space).
    static func shape(of space: hid_t, path: String, object: String?) throws -> [Int] {
        let rank = Int(try check(H5Sget_simple_extent_ndims(space), "read dataspace rank", path: path, object: object))
        guard rank > 0 else { return [] }
        var dims = [hsize_t](repeating: 0, count: rank)
        try check(H5Sget_simple_extent_dims(space, &dims, nil), "read dataspace dimensions", path: path, object: object)
        return dims.map { Int($0) }
    }

    /// Maximum dimensions; `nil` entries are unlimited.
    static func maxShape(of space: hid_t, path: String, object: String?) throws -> [Int?] {
        let rank = Int(try check(H5Sget_simple_extent_ndims(space), "read dataspace rank", path: path, object: object))
        guard rank > 0 else { return [] }
        var dims = [hsize_t](repeating: 0, count: rank)
        var maxDims = [hsize_t](repeating: 0, count: rank)
        try check(
            H5Sget_simple_extent_dims(space, &dims, &maxDims), "read dataspace dimensions", path: path, object: object)
        return maxDims.map { $0 == ccelim_h5s_unlimited() ? nil : Int($0) }
    }

    /// Number of elements the space holds (0 for a null space).
    static func elementCount(of space: hid_t, path: String, object: String?) throws -> Int {
        Int(try check(H5Sget_simple_extent_npoints(space), "count dataspace elements", path: path, object: object))
    }

    /// Selects rows `rows` (all of every other dimension) in a space of shape `shape`.
    static func selectRows(_ rows: Range<Int>, in space: hid_t, shape: [Int], path: String, object: String?) throws {
        var start = [hsize_t](repeating: 0, count: shape.count)
        var count = shape.map { hsize_t($0) }
        start[0] = hsize_t(rows.lowerBound)
        count[0] = hsize_t(rows.count)
        try check(
            H5Sselect_hyperslab(space, H5S_SELECT_SET, start, nil, count, nil), "select rows \(rows)", path: path,
            object: object)
    }
}

/// Number of elements in a shape ([] = scalar = 1), or nil on negative dims or overflow.
func elementCount(of shape: [Int]) -> Int? {
    var n = 1
    for d in shape {
        guard d >= 0 else { return nil }
        let (product, overflow) = n.multipliedReportingOverflow(by: d)
        guard !overflow else { return nil }
        n = product
    }
    return n
}
