internal import CZeroMQ

/// ZeroMQ's Z85 text encoding of binary keys (RFC 32): 4 bytes ↔ 5 characters.
public enum Z85 {
    static let alphabet = Set(
        "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#".utf8)

    /// A CURVE key: exactly 40 Z85 characters (32 bytes).
    public static func isValidKey(_ text: String) -> Bool {
        text.utf8.count == 40 && text.utf8.allSatisfy(alphabet.contains)
    }

    /// `bytes.count` must be a multiple of 4.
    public static func encode(_ bytes: [UInt8]) throws(ZMQError) -> String {
        guard bytes.count % 4 == 0 else {
            throw .refused("Z85 encode", errno: ZMQErrno.invalid, "\(bytes.count) bytes is not a multiple of 4")
        }
        var out = [CChar](repeating: 0, count: bytes.count / 4 * 5 + 1)
        _ = try zmqCall("Z85 encode") { zmq_z85_encode(&out, bytes, bytes.count) }
        return String(decoding: out.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Text length must be a multiple of 5, characters from the Z85 alphabet, and each group of
    /// five must stand for a value below 2^32.
    public static func decode(_ text: String) throws(ZMQError) -> [UInt8] {
        let utf8 = Array(text.utf8)
        guard utf8.count % 5 == 0, utf8.allSatisfy(alphabet.contains) else {
            throw .refused(
                "Z85 decode", errno: ZMQErrno.invalid,
                "Z85 text has a length that is a multiple of 5 and only Z85 characters")
        }
        var out = [UInt8](repeating: 0, count: utf8.count / 5 * 4)
        _ = try zmqCall("Z85 decode") { zmq_z85_decode(&out, text) }
        return out
    }
}
