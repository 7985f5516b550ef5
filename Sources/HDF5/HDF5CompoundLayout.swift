/// The fields of a compound (table-like) dataset, in order: one row = one value per field.
/// Rows are packed without padding, the same in memory and in the file, so h5py sees a
/// structured array with exactly these field names and types.
public struct HDF5CompoundLayout: Equatable, Sendable {
    public struct Field: Equatable, Sendable {
        public let name: String
        public let kind: HDF5ScalarKind
        public init(_ name: String, _ kind: HDF5ScalarKind) {
            self.name = name
            self.kind = kind
        }
    }

    public let fields: [Field]

    public init(_ fields: [Field]) {
        self.fields = fields
    }

    /// Bytes per packed row.
    var rowSize: Int { fields.reduce(0) { $0 + $1.kind.byteCount } }

    /// Byte offset of each field in a packed row.
    var offsets: [Int] {
        var offsets: [Int] = []
        var next = 0
        for field in fields {
            offsets.append(next)
            next += field.kind.byteCount
        }
        return offsets
    }

    /// Why this layout cannot be stored, or nil if it can.
    var problem: String? {
        if fields.isEmpty { return "a compound layout needs at least one field" }
        if fields.contains(where: { $0.name.isEmpty }) { return "field names must be non-empty" }
        if Set(fields.map(\.name)).count != fields.count { return "field names must be unique" }
        return nil
    }

    /// Packs rows into one buffer of `rows.count * rowSize` bytes, or says which row is wrong.
    func pack(_ rows: [[HDF5Value]]) -> Result<[UInt8], RowProblem> {
        let offsets = offsets
        var bytes = [UInt8](repeating: 0, count: rows.count * rowSize)
        for (r, row) in rows.enumerated() {
            guard row.count == fields.count else {
                return .failure(
                    RowProblem(row: r, text: "has \(row.count) values, the layout has \(fields.count) fields"))
            }
            for (f, value) in row.enumerated() where value.kind != fields[f].kind {
                return .failure(
                    RowProblem(
                        row: r,
                        text: "field '\(fields[f].name)' is \(fields[f].kind.rawValue), got \(value.kind.rawValue)"))
            }
            bytes.withUnsafeMutableBytes { buffer in
                let base = r * rowSize
                for (f, value) in row.enumerated() {
                    value.store(to: buffer, at: base + offsets[f])
                }
            }
        }
        return .success(bytes)
    }

    /// Unpacks `count` rows from a packed buffer.
    func unpack(_ bytes: UnsafeRawBufferPointer, count: Int) -> [[HDF5Value]] {
        let offsets = offsets
        return (0..<count).map { r in
            fields.indices.map { f in
                HDF5Value.load(fields[f].kind, from: bytes, at: r * rowSize + offsets[f])
            }
        }
    }

    struct RowProblem: Error {
        let row: Int
        let text: String
    }
}

/// One field value in a compound row.
public enum HDF5Value: Equatable, Sendable {
    case int32(Int32)
    case int64(Int64)
    case float(Float)
    case double(Double)

    public var kind: HDF5ScalarKind {
        switch self {
        case .int32: return .int32
        case .int64: return .int64
        case .float: return .float
        case .double: return .double
        }
    }

    func store(to buffer: UnsafeMutableRawBufferPointer, at offset: Int) {
        switch self {
        case .int32(let v): buffer.storeBytes(of: v, toByteOffset: offset, as: Int32.self)
        case .int64(let v): buffer.storeBytes(of: v, toByteOffset: offset, as: Int64.self)
        case .float(let v): buffer.storeBytes(of: v, toByteOffset: offset, as: Float.self)
        case .double(let v): buffer.storeBytes(of: v, toByteOffset: offset, as: Double.self)
        }
    }

    static func load(_ kind: HDF5ScalarKind, from buffer: UnsafeRawBufferPointer, at offset: Int) -> HDF5Value {
        switch kind {
        case .int32: return .int32(buffer.loadUnaligned(fromByteOffset: offset, as: Int32.self))
        case .int64: return .int64(buffer.loadUnaligned(fromByteOffset: offset, as: Int64.self))
        case .float: return .float(buffer.loadUnaligned(fromByteOffset: offset, as: Float.self))
        case .double: return .double(buffer.loadUnaligned(fromByteOffset: offset, as: Double.self))
        }
    }
}
