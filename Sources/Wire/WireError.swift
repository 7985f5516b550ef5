import Console

/// Why a message was refused. Each case names the field or frame at fault so a coordinator's log
/// line says exactly what a bad peer sent; `description` is what goes into `error(malformed)`.
public enum WireError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A message with no frames at all.
    case noFrames
    /// All frames together exceed `WireLimits.maxMessageBytes`.
    case messageTooLarge(bytes: Int, limit: Int)
    /// The header frame is not exactly `WireProtocol.headerByteCount` bytes.
    case badHeaderSize(Int)
    /// The header does not start with "CCEL": not a ccelim peer.
    case badMagic([UInt8])
    /// A ccelim peer speaking another protocol version (header, or the version field of `hello`).
    case unsupportedVersion(UInt16)
    /// The kind is 0 or above the last kind this version knows.
    case unknownKind(UInt16)
    case wrongFrameCount(kind: MessageKind, expected: Int, actual: Int)
    /// A field needs more bytes than the frame has left.
    case truncated(field: String, needed: Int, remaining: Int)
    /// A count or byte length above its limit.
    case limitExceeded(field: String, value: Int, limit: Int)
    case invalidUTF8(field: String)
    /// Two counts that must agree do not (an episode's order and log-probabilities).
    case lengthMismatch(field: String, expected: Int, actual: Int)
    /// A role, error code, kind or boolean byte outside its defined values.
    case invalidEnum(field: String, value: Int)
    /// A field within its byte limits but meaningless (an empty name, weights version 0).
    case invalidValue(field: String, reason: String)
    /// Bytes left over after the last field: the body is not what its kind says.
    case trailingBytes(frame: String, count: Int)
    /// A weights, parameters or gradient buffer does not hash to the checksum the sender stated:
    /// corrupted in transit or by the sender; never use it.
    case checksumMismatch(stated: UInt64, computed: UInt64)

    /// One printable line (PrintableText): a reason may quote what the peer sent.
    public var description: String { PrintableText.escaped(text) }

    private var text: String {
        switch self {
        case .noFrames:
            "empty message (no frames)"
        case let .messageTooLarge(bytes, limit):
            "message of \(bytes) bytes exceeds the limit of \(limit) bytes"
        case let .badHeaderSize(n):
            "header frame has \(n) bytes, expected \(WireProtocol.headerByteCount)"
        case let .badMagic(bytes):
            "header does not start with CCEL (got \(bytes.map { String($0, radix: 16) }.joined(separator: " "))); not a ccelim peer"
        case let .unsupportedVersion(v):
            "protocol version \(v) is not supported (this build speaks \(WireProtocol.version)); upgrade the older side"
        case let .unknownKind(k):
            "unknown message kind \(k)"
        case let .wrongFrameCount(kind, expected, actual):
            "\(kind) needs \(expected) body frame(s), got \(actual)"
        case let .truncated(field, needed, remaining):
            "truncated at \(field): needs \(needed) bytes, \(remaining) left"
        case let .limitExceeded(field, value, limit):
            "\(field) is \(value), above the limit of \(limit)"
        case let .invalidUTF8(field):
            "\(field) is not valid UTF-8"
        case let .lengthMismatch(field, expected, actual):
            "\(field) has \(actual) entries, expected \(expected)"
        case let .invalidEnum(field, value):
            "\(field) has undefined value \(value)"
        case let .invalidValue(field, reason):
            "\(field): \(reason)"
        case let .trailingBytes(frame, count):
            "\(count) unexpected trailing bytes in \(frame)"
        case let .checksumMismatch(stated, computed):
            "checksum mismatch: stated \(hex(stated)), computed \(hex(computed))"
        }
    }
}

private func hex(_ v: UInt64) -> String { "0x" + String(v, radix: 16) }
