internal import CHDF5
internal import CHDF5Shims

/// The element types this module stores: the ones the checkpoint and episode log need.
/// Files always hold them little-endian; a file from elsewhere with another byte order is
/// converted by HDF5 on read, but a different class or width is a `typeMismatch`.
public enum HDF5ScalarKind: String, CaseIterable, Equatable, Sendable {
    case int32, int64, float, double

    var byteCount: Int {
        switch self {
        case .int32, .float: return 4
        case .int64, .double: return 8
        }
    }

    /// How the value sits in this process's memory.
    var memoryType: hid_t {
        switch self {
        case .int32: return ccelim_h5t_native_int32()
        case .int64: return ccelim_h5t_native_int64()
        case .float: return ccelim_h5t_native_float()
        case .double: return ccelim_h5t_native_double()
        }
    }

    /// How the value sits in the file.
    var fileType: hid_t {
        switch self {
        case .int32: return ccelim_h5t_std_i32le()
        case .int64: return ccelim_h5t_std_i64le()
        case .float: return ccelim_h5t_ieee_f32le()
        case .double: return ccelim_h5t_ieee_f64le()
        }
    }

    /// The kind of a stored atomic type, or nil when it is none of ours (unsigned, 16-bit, ...).
    static func of(storedType type: hid_t) -> HDF5ScalarKind? {
        silenced {
            let size = H5Tget_size(type)
            switch H5Tget_class(type) {
            case H5T_INTEGER:
                guard H5Tget_sign(type) == H5T_SGN_2 else { return nil }
                return size == 4 ? .int32 : size == 8 ? .int64 : nil
            case H5T_FLOAT:
                return size == 4 ? .float : size == 8 ? .double : nil
            default:
                return nil
            }
        }
    }
}

/// A Swift number type with an HDF5 counterpart. Only the module's four kinds conform.
public protocol HDF5Numeric: BitwiseCopyable {
    static var hdf5Kind: HDF5ScalarKind { get }
}

extension Int32: HDF5Numeric { public static var hdf5Kind: HDF5ScalarKind { .int32 } }
extension Int64: HDF5Numeric { public static var hdf5Kind: HDF5ScalarKind { .int64 } }
extension Float: HDF5Numeric { public static var hdf5Kind: HDF5ScalarKind { .float } }
extension Double: HDF5Numeric { public static var hdf5Kind: HDF5ScalarKind { .double } }
