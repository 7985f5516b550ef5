internal import CHDF5
internal import CHDF5Shims

// Variable-length sequences: one row = one sequence of any length (an elimination order).
// Writes point HDF5 at Swift-owned memory; reads get memory HDF5 allocated, which goes back
// through H5Dvlen_reclaim (1.10's API; H5Treclaim only exists from 1.12).

extension HDF5Group {
    /// An empty, extendable 1-D dataset whose rows are sequences of `T`.
    /// Not for files tailed by SWMR readers: the sequences live in HDF5's global heap, which
    /// SWMR does not cover, and a reader in another process fails with "address of object past
    /// end of allocation". For those, store the values flat plus one length per row.
    @discardableResult
    public func createSequenceDataset<T: HDF5Numeric>(
        _ child: String, of type: T.Type, chunkRows: Int = 1024,
        fletcher32: Bool = false
    ) throws -> HDF5Dataset {
        let vlen = try HDF5Datatype.sequence(of: T.hdf5Kind, inMemory: false, path: file.path, object: childName(child))
        defer { vlen.dispose() }
        return try makeExtendable(child, fileType: vlen.id, chunkRows: chunkRows, fletcher32: fletcher32)
    }
}

extension HDF5Dataset {
    /// Appends one row per sequence, in one write.
    public func appendSequences<T: HDF5Numeric>(_ sequences: [[T]]) throws {
        let op = "append sequences"
        try expect(.sequence(T.hdf5Kind), op)
        try checkLayout(T.hdf5Kind, MemoryLayout<T>.size, op, path: file.path, object: name)
        let memoryType = try HDF5Datatype.sequence(of: T.hdf5Kind, inMemory: true, path: file.path, object: name)
        defer { memoryType.dispose() }
        // One flat buffer keeps every sequence's storage alive and fixed for the whole write.
        let flat = sequences.flatMap { $0 }
        try flat.withUnsafeBufferPointer { elements in
            var descriptors: [hvl_t] = []
            descriptors.reserveCapacity(sequences.count)
            var start = 0
            for sequence in sequences {
                let p = sequence.isEmpty ? nil : UnsafeMutableRawPointer(mutating: elements.baseAddress! + start)
                descriptors.append(hvl_t(len: sequence.count, p: p))
                start += sequence.count
            }
            try descriptors.withUnsafeBytes { buffer in
                try appendRows(sequences.count, memoryType: memoryType.id, buffer: buffer.baseAddress, op)
            }
        }
    }

    /// All sequences, or those of `rows`.
    public func readSequences<T: HDF5Numeric>(as type: T.Type = T.self, rows: Range<Int>? = nil) throws -> [[T]] {
        let op = "read sequences"
        try expect(.sequence(T.hdf5Kind), op)
        try checkLayout(T.hdf5Kind, MemoryLayout<T>.size, op, path: file.path, object: name)
        let memoryType = try HDF5Datatype.sequence(of: T.hdf5Kind, inMemory: true, path: file.path, object: name)
        defer { memoryType.dispose() }
        return try withSelection(rows: rows, op) { memorySpace, fileSpace, count in
            guard count > 0 else { return [] }
            // Zeroed descriptors: if the read fails part-way, reclaiming frees what HDF5 did
            // allocate and skips the rest (free(NULL) of len-0 entries).
            var descriptors = [hvl_t](repeating: hvl_t(len: 0, p: nil), count: count)
            return try descriptors.withUnsafeMutableBytes { buffer in
                defer {
                    _ = silenced {
                        H5Dvlen_reclaim(memoryType.id, memorySpace, ccelim_h5p_default(), buffer.baseAddress)
                    }
                }
                try check(
                    H5Dread(handle.id, memoryType.id, memorySpace, fileSpace, ccelim_h5p_default(), buffer.baseAddress),
                    op, path: file.path, object: name)
                return buffer.bindMemory(to: hvl_t.self).map { d in
                    guard d.len > 0, let p = d.p else { return [] }
                    return Array(UnsafeBufferPointer(start: p.assumingMemoryBound(to: T.self), count: d.len))
                }
            }
        }
    }
}
