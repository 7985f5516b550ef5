internal import CHDF5

/// What one element of a dataset is, as read from the file when the dataset is opened; every
/// read and append checks against it rather than letting HDF5 convert silently.
public enum HDF5ElementType: Equatable, Sendable {
    case scalar(HDF5ScalarKind)
    case compound(HDF5CompoundLayout)
    /// Variable-length sequences of a scalar kind (elimination orders are `.sequence(.int32)`).
    case sequence(HDF5ScalarKind)
    /// Anything else (strings, unsigned or 16-bit numbers, nested compounds); text says what.
    case unsupported(String)

    public var summary: String {
        switch self {
        case .scalar(let k): return k.rawValue
        case .compound(let layout):
            return "compound{" + layout.fields.map { "\($0.name): \($0.kind.rawValue)" }.joined(separator: ", ") + "}"
        case .sequence(let k): return "sequence of \(k.rawValue)"
        case .unsupported(let text): return text
        }
    }

    /// Describes a stored (file) datatype.
    static func of(storedType type: hid_t, path: String, object: String?) throws -> HDF5ElementType {
        let op = "inspect datatype"
        let typeClass = silenced { H5Tget_class(type) }
        switch typeClass {
        case H5T_INTEGER, H5T_FLOAT:
            if let kind = HDF5ScalarKind.of(storedType: type) { return .scalar(kind) }
            return .unsupported(
                "\(typeClass == H5T_INTEGER ? "integer" : "float") of \(silenced { H5Tget_size(type) }) bytes"
                    + (typeClass == H5T_INTEGER && silenced({ H5Tget_sign(type) }) == H5T_SGN_NONE ? ", unsigned" : ""))
        case H5T_COMPOUND:
            let count = Int(try check(H5Tget_nmembers(type), op, path: path, object: object))
            var fields: [HDF5CompoundLayout.Field] = []
            for i in 0..<count {
                guard let cName = silenced({ H5Tget_member_name(type, UInt32(i)) }) else {
                    throw libraryError(op, path: path, object: object)
                }
                let name = String(cString: cName)
                _ = silenced { H5free_memory(cName) }
                let member = HDF5Handle(
                    try check(H5Tget_member_type(type, UInt32(i)), op, path: path, object: object), .datatype)
                defer { member.dispose() }
                guard let kind = HDF5ScalarKind.of(storedType: member.id) else {
                    return .unsupported("compound with field '\(name)' of a type this module does not read")
                }
                fields.append(.init(name, kind))
            }
            return .compound(HDF5CompoundLayout(fields))
        case H5T_VLEN:
            let base = HDF5Handle(try check(H5Tget_super(type), op, path: path, object: object), .datatype)
            defer { base.dispose() }
            if let kind = HDF5ScalarKind.of(storedType: base.id) { return .sequence(kind) }
            return .unsupported("variable-length sequence of a type this module does not read")
        case H5T_STRING:
            return .unsupported("string")
        case H5T_NO_CLASS:
            throw libraryError(op, path: path, object: object)
        default:
            return .unsupported("HDF5 type class \(typeClass.rawValue)")
        }
    }
}
