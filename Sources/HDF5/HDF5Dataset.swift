internal import CHDF5
internal import CHDF5Shims

/// An n-dimensional array in a file. Its element type is read once when it is opened and every
/// read or append is checked against it. Rows are the first dimension; extendable datasets are
/// 1-D with an unlimited first dimension and grow by `append`.
public final class HDF5Dataset {
    public let file: HDF5File
    /// Absolute name inside the file, e.g. "/episodes/cost".
    public let name: String
    public let elementType: HDF5ElementType
    let handle: HDF5Handle

    init(file: HDF5File, id: hid_t, name: String) throws {
        self.file = file
        self.name = name
        self.handle = HDF5Handle(id, .dataset, in: file.handle)
        let type = HDF5Handle(try check(H5Dget_type(id), "read dataset type", path: file.path, object: name), .datatype)
        defer { type.dispose() }
        self.elementType = try HDF5ElementType.of(storedType: type.id, path: file.path, object: name)
    }

    func validID(_ operation: String) throws -> hid_t {
        _ = try file.validID(operation)
        guard handle.isOpen else {
            throw HDF5Error(.closed, operation, path: file.path, object: name, detail: "the dataset was already closed")
        }
        return handle.id
    }

    public var attributes: HDF5Attributes {
        HDF5Attributes(owner: self, file: file, object: name) { [self] op in try validID(op) }
    }

    /// Current dimensions ([] for a scalar). SWMR readers call `refresh()` first to see growth.
    public func shape() throws -> [Int] {
        defer { withExtendedLifetime(self) {} }
        let id = try validID("read shape")
        let space = HDF5Handle(try check(H5Dget_space(id), "read shape", path: file.path, object: name), .dataspace)
        defer { space.dispose() }
        return try HDF5Dataspace.shape(of: space.id, path: file.path, object: name)
    }

    /// Rows = length of the first dimension (1 for a scalar).
    public func rowCount() throws -> Int {
        try shape().first ?? 1
    }

    /// SWMR reader: reload the dataset's metadata so rows the writer flushed become visible.
    public func refresh() throws {
        defer { withExtendedLifetime(self) {} }
        let id = try validID("refresh dataset")
        try check(H5Drefresh(id), "refresh dataset", path: file.path, object: name)
    }

    /// SWMR writer: make this dataset's appended rows visible to readers now.
    public func flush() throws {
        defer { withExtendedLifetime(self) {} }
        let id = try validID("flush dataset")
        try check(H5Dflush(id), "flush dataset", path: file.path, object: name)
    }

    /// Closes the dataset now rather than when the last reference goes. Idempotent.
    public func close() throws {
        try handle.close(path: file.path, object: name)
    }

    // MARK: Numeric arrays

    /// All elements, row-major, or only `rows` (a range of the first dimension).
    public func read<T: HDF5Numeric>(as type: T.Type = T.self, rows: Range<Int>? = nil) throws -> [T] {
        let op = "read dataset"
        try expect(.scalar(T.hdf5Kind), op)
        try checkLayout(T.hdf5Kind, MemoryLayout<T>.size, op, path: file.path, object: name)
        return try withSelection(rows: rows, op) { memorySpace, fileSpace, count in
            try [T](unsafeUninitializedCapacity: count) { buffer, initialized in
                if count > 0 {
                    try check(
                        H5Dread(
                            handle.id, T.hdf5Kind.memoryType, memorySpace, fileSpace, ccelim_h5p_default(),
                            buffer.baseAddress!),
                        op, path: file.path, object: name)
                }
                initialized = count
            }
        }
    }

    /// Appends elements to a 1-D extendable dataset.
    public func append<T: HDF5Numeric>(_ values: [T]) throws {
        let op = "append to dataset"
        try expect(.scalar(T.hdf5Kind), op)
        try checkLayout(T.hdf5Kind, MemoryLayout<T>.size, op, path: file.path, object: name)
        try values.withUnsafeBytes { bytes in
            try appendRows(values.count, memoryType: T.hdf5Kind.memoryType, buffer: bytes.baseAddress, op)
        }
    }

    // MARK: Shared machinery

    func expect(_ type: HDF5ElementType, _ operation: String) throws {
        guard elementType == type else {
            throw HDF5Error(
                .typeMismatch, operation, path: file.path, object: name,
                detail: "asked for \(type.summary), the dataset holds \(elementType.summary)")
        }
    }

    /// Selects all of the dataset or `rows` of it and hands `body` a matching memory space, the
    /// file space and the element count. The memory space is a real id (never H5S_ALL) because
    /// vlen reads must reclaim with it.
    func withSelection<R>(rows: Range<Int>?, _ op: String, _ body: (hid_t, hid_t, Int) throws -> R) throws -> R {
        defer { withExtendedLifetime(self) {} }
        let id = try validID(op)
        let fileSpace = HDF5Handle(try check(H5Dget_space(id), op, path: file.path, object: name), .dataspace)
        defer { fileSpace.dispose() }
        let shape = try HDF5Dataspace.shape(of: fileSpace.id, path: file.path, object: name)
        var selected = shape
        if let rows {
            guard let rowsInFile = shape.first else {
                throw HDF5Error(
                    .shapeMismatch, op, path: file.path, object: name, detail: "a scalar dataset has no rows to select")
            }
            guard rows.lowerBound >= 0, rows.upperBound <= rowsInFile else {
                throw HDF5Error(
                    .shapeMismatch, op, path: file.path, object: name,
                    detail: "rows \(rows) are outside 0..<\(rowsInFile)")
            }
            selected[0] = rows.count
            if rows.count > 0 {
                try HDF5Dataspace.selectRows(rows, in: fileSpace.id, shape: shape, path: file.path, object: name)
            }
        }
        let memorySpace = try HDF5Dataspace.make(selected, path: file.path, object: name)
        defer { memorySpace.dispose() }
        let count = try HDF5Dataspace.elementCount(of: memorySpace.id, path: file.path, object: name)
        return try body(memorySpace.id, fileSpace.id, count)
    }

    /// Grows a 1-D extendable dataset by `count` rows and writes them from `buffer`. If the
    /// write fails the extent is shrunk back, so a failed append leaves no rows of fill values.
    func appendRows(_ count: Int, memoryType: hid_t, buffer: UnsafeRawPointer?, _ op: String) throws {
        defer { withExtendedLifetime(self) {} }
        let id = try validID(op)
        guard count > 0 else { return }
        let oldSpace = HDF5Handle(try check(H5Dget_space(id), op, path: file.path, object: name), .dataspace)
        defer { oldSpace.dispose() }
        let shape = try HDF5Dataspace.shape(of: oldSpace.id, path: file.path, object: name)
        let maxShape = try HDF5Dataspace.maxShape(of: oldSpace.id, path: file.path, object: name)
        guard shape.count == 1, maxShape == [nil] else {
            throw HDF5Error(
                .shapeMismatch, op, path: file.path, object: name,
                detail: "only 1-D datasets created extendable can be appended to (shape \(shape))")
        }
        let old = shape[0]
        try check(H5Dset_extent(id, [hsize_t(old + count)]), op, path: file.path, object: name)
        do {
            let fileSpace = HDF5Handle(try check(H5Dget_space(id), op, path: file.path, object: name), .dataspace)
            defer { fileSpace.dispose() }
            try HDF5Dataspace.selectRows(
                old..<(old + count), in: fileSpace.id, shape: [old + count], path: file.path, object: name)
            let memorySpace = try HDF5Dataspace.make([count], path: file.path, object: name)
            defer { memorySpace.dispose() }
            try check(
                H5Dwrite(id, memoryType, memorySpace.id, fileSpace.id, ccelim_h5p_default(), buffer), op,
                path: file.path, object: name)
        } catch {
            _ = silenced { H5Dset_extent(id, [hsize_t(old)]) }
            throw error
        }
    }
}

extension HDF5Group {
    /// Writes a fixed-shape array. `shape` defaults to 1-D; its element count must match.
    @discardableResult
    public func createDataset<T: HDF5Numeric>(
        _ child: String, values: [T], shape: [Int]? = nil,
        storage: HDF5Storage = .contiguous
    ) throws -> HDF5Dataset {
        let op = "create dataset"
        let object = childName(child)
        try checkLayout(T.hdf5Kind, MemoryLayout<T>.size, op, path: file.path, object: object)
        let shape = shape ?? [values.count]
        guard let count = elementCount(of: shape), count == values.count else {
            throw HDF5Error(
                .shapeMismatch, op, path: file.path, object: object,
                detail: "shape \(shape) does not hold \(values.count) values")
        }
        if storage.isChunked {
            guard !shape.isEmpty else {
                throw HDF5Error(
                    .invalidArgument, op, path: file.path, object: object,
                    detail: "a scalar cannot be chunked or checksummed; store it as shape [1]")
            }
            if let chunk = storage.chunkShape, chunk.count != shape.count || chunk.contains(where: { $0 < 1 }) {
                throw HDF5Error(
                    .invalidArgument, op, path: file.path, object: object,
                    detail: "chunk shape \(chunk) must have rank \(shape.count) and positive sizes")
            }
        }
        let chunk = storage.isChunked ? storage.resolvedChunkShape(for: shape, elementSize: T.hdf5Kind.byteCount) : nil
        let dataset = try makeDataset(
            child, fileType: T.hdf5Kind.fileType, shape: shape, maxShape: nil,
            chunk: chunk, fletcher32: storage.fletcher32, op)
        if count > 0 {
            try values.withUnsafeBytes { bytes in
                let s = ccelim_h5s_all()
                try check(
                    H5Dwrite(dataset.handle.id, T.hdf5Kind.memoryType, s, s, ccelim_h5p_default(), bytes.baseAddress),
                    "write dataset", path: file.path, object: object)
            }
        }
        return dataset
    }

    /// An empty 1-D dataset that grows with `append`. `chunkRows` is the unit of disk I/O
    /// (and of what an SWMR reader sees become visible).
    @discardableResult
    public func createExtendableDataset<T: HDF5Numeric>(
        _ child: String, of type: T.Type, chunkRows: Int = 1024,
        fletcher32: Bool = false
    ) throws -> HDF5Dataset {
        try makeExtendable(child, fileType: T.hdf5Kind.fileType, chunkRows: chunkRows, fletcher32: fletcher32)
    }

    public func openDataset(_ child: String) throws -> HDF5Dataset {
        defer { withExtendedLifetime(self) {} }
        let object = childName(child)
        let loc = try validID("open dataset")
        let id = try check(H5Dopen2(loc, child, ccelim_h5p_default()), "open dataset", path: file.path, object: object)
        // If reading the type fails, the half-built dataset's handle still closes `id`.
        return try HDF5Dataset(file: file, id: id, name: object)
    }

    func makeExtendable(_ child: String, fileType: hid_t, chunkRows: Int, fletcher32: Bool) throws -> HDF5Dataset {
        let op = "create extendable dataset"
        guard chunkRows >= 1 else {
            throw HDF5Error(
                .invalidArgument, op, path: file.path, object: childName(child), detail: "chunkRows must be at least 1")
        }
        return try makeDataset(
            child, fileType: fileType, shape: [0], maxShape: [nil], chunk: [chunkRows], fletcher32: fletcher32, op)
    }

    func makeDataset(
        _ child: String, fileType: hid_t, shape: [Int], maxShape: [Int?]?, chunk: [Int]?,
        fletcher32: Bool, _ op: String
    ) throws -> HDF5Dataset {
        defer { withExtendedLifetime(self) {} }
        let object = childName(child)
        try validateName(child, op, object: object)
        try file.refuseStructuralChange(op, object: object)
        let loc = try validID(op)
        let space = try HDF5Dataspace.make(shape, maxShape: maxShape, path: file.path, object: object)
        defer { space.dispose() }
        let dcpl = HDF5Handle(
            try check(H5Pcreate(ccelim_h5p_dataset_create()), op, path: file.path, object: object), .propertyList)
        defer { dcpl.dispose() }
        if let chunk {
            try check(
                H5Pset_chunk(dcpl.id, Int32(chunk.count), chunk.map { hsize_t($0) }), op, path: file.path,
                object: object)
        }
        if fletcher32 {
            try check(H5Pset_fletcher32(dcpl.id), op, path: file.path, object: object)
        }
        let p = ccelim_h5p_default()
        let id = try check(
            H5Dcreate2(loc, child, fileType, space.id, p, dcpl.id, p), op, path: file.path, object: object)
        return try HDF5Dataset(file: file, id: id, name: object)
    }
}
