internal import CHDF5
internal import CHDF5Shims

// Table-like datasets: one packed compound row per record (an episode, an update), appended
// one at a time or in blocks. h5py reads them as structured arrays.

extension HDF5Group {
    /// An empty, extendable 1-D dataset of `layout` rows.
    @discardableResult
    public func createCompoundDataset(
        _ child: String, layout: HDF5CompoundLayout, chunkRows: Int = 1024,
        fletcher32: Bool = false
    ) throws -> HDF5Dataset {
        let type = try HDF5Datatype.compound(layout, inMemory: false, path: file.path, object: childName(child))
        defer { type.dispose() }
        return try makeExtendable(child, fileType: type.id, chunkRows: chunkRows, fletcher32: fletcher32)
    }
}

extension HDF5Dataset {
    /// The layout of a compound dataset, or `.typeMismatch` for any other dataset.
    func compoundLayout(_ op: String) throws -> HDF5CompoundLayout {
        guard case .compound(let layout) = elementType else {
            throw HDF5Error(
                .typeMismatch, op, path: file.path, object: name,
                detail: "asked for compound rows, the dataset holds \(elementType.summary)")
        }
        return layout
    }

    /// `rows` packed into the dataset's compound layout (each row field for field), or a typed
    /// error naming the first row that does not fit.
    private func pack(_ rows: [[HDF5Value]], _ op: String) throws -> (HDF5CompoundLayout, [UInt8]) {
        let layout = try compoundLayout(op)
        switch layout.pack(rows) {
        case .success(let bytes): return (layout, bytes)
        case .failure(let problem):
            throw HDF5Error(
                .shapeMismatch, op, path: file.path, object: name, detail: "row \(problem.row) \(problem.text)")
        }
    }

    public func appendRow(_ row: [HDF5Value]) throws {
        try appendRows([row])
    }

    /// Appends a block of rows in one write; each row must match the layout field for field.
    public func appendRows(_ rows: [[HDF5Value]]) throws {
        let op = "append rows"
        let (layout, packed) = try pack(rows, op)
        let memoryType = try HDF5Datatype.compound(layout, inMemory: true, path: file.path, object: name)
        defer { memoryType.dispose() }
        try packed.withUnsafeBytes { bytes in
            try appendRows(rows.count, memoryType: memoryType.id, buffer: bytes.baseAddress, op)
        }
    }

    /// Overwrites existing rows from `index` on (the dataset does not grow): for a record kept
    /// in place, such as a count written last to commit the rows appended before it.
    public func writeRows(_ rows: [[HDF5Value]], at index: Int) throws {
        let op = "write rows"
        let (layout, packed) = try pack(rows, op)
        guard !rows.isEmpty else { return }
        let memoryType = try HDF5Datatype.compound(layout, inMemory: true, path: file.path, object: name)
        defer { memoryType.dispose() }
        try withSelection(rows: index..<(index + rows.count), op) { memorySpace, fileSpace, _ in
            _ = try packed.withUnsafeBytes { bytes in
                try check(
                    H5Dwrite(handle.id, memoryType.id, memorySpace, fileSpace, ccelim_h5p_default(), bytes.baseAddress),
                    op, path: file.path, object: name)
            }
        }
    }

    /// All rows, or `rows` of them, each in layout field order.
    public func readRows(_ rows: Range<Int>? = nil) throws -> [[HDF5Value]] {
        let op = "read rows"
        let layout = try compoundLayout(op)
        let memoryType = try HDF5Datatype.compound(layout, inMemory: true, path: file.path, object: name)
        defer { memoryType.dispose() }
        return try withSelection(rows: rows, op) { memorySpace, fileSpace, count in
            var bytes = [UInt8](repeating: 0, count: count * layout.rowSize)
            if count > 0 {
                _ = try bytes.withUnsafeMutableBytes { buffer in
                    try check(
                        H5Dread(
                            handle.id, memoryType.id, memorySpace, fileSpace, ccelim_h5p_default(), buffer.baseAddress),
                        op, path: file.path, object: name)
                }
            }
            return bytes.withUnsafeBytes { layout.unpack($0, count: count) }
        }
    }

    /// One field of every row (or of `rows`), read directly: HDF5 matches the field by name.
    public func column<T: HDF5Numeric>(_ field: String, as type: T.Type = T.self, rows: Range<Int>? = nil) throws -> [T]
    {
        let op = "read column '\(field)'"
        let layout = try compoundLayout(op)
        guard let stored = layout.fields.first(where: { $0.name == field }) else {
            throw HDF5Error(
                .invalidArgument, op, path: file.path, object: name,
                detail: "no field '\(field)'; fields are \(layout.fields.map(\.name))")
        }
        guard stored.kind == T.hdf5Kind else {
            throw HDF5Error(
                .typeMismatch, op, path: file.path, object: name,
                detail: "asked for \(T.hdf5Kind.rawValue), field is \(stored.kind.rawValue)")
        }
        try checkLayout(T.hdf5Kind, MemoryLayout<T>.size, op, path: file.path, object: name)
        let single = HDF5CompoundLayout([.init(field, T.hdf5Kind)])
        let memoryType = try HDF5Datatype.compound(single, inMemory: true, path: file.path, object: name)
        defer { memoryType.dispose() }
        return try withSelection(rows: rows, op) { memorySpace, fileSpace, count in
            try [T](unsafeUninitializedCapacity: count) { buffer, initialized in
                if count > 0 {
                    try check(
                        H5Dread(
                            handle.id, memoryType.id, memorySpace, fileSpace, ccelim_h5p_default(), buffer.baseAddress!),
                        op, path: file.path, object: name)
                }
                initialized = count
            }
        }
    }
}
