internal import CZeroMQ

/// A CURVE key pair as Z85 text (40 characters each), the form cluster.toml and
/// `ccelim keys generate` use. The secret key never appears in `description`.
public struct CurveKeyPair: Sendable, Equatable, CustomStringConvertible {
    public let publicKey: String
    public let secretKey: String

    /// Whether this libzmq was built with CURVE (Debian's is).
    public static var isAvailable: Bool { zmq_has("curve") == 1 }

    /// A fresh pair from libzmq's CSPRNG (libsodium).
    public static func generate() throws(ZMQError) -> CurveKeyPair {
        var publicText = [CChar](repeating: 0, count: 41)
        var secretText = [CChar](repeating: 0, count: 41)
        try zmqCall("generate CURVE key pair") { zmq_curve_keypair(&publicText, &secretText) }
        return CurveKeyPair(publicKey: text(publicText), secretKey: text(secretText))
    }

    /// Rebuilds the pair from its secret key (what a key file must keep).
    public init(secretKey: String) throws(ZMQError) {
        guard Z85.isValidKey(secretKey) else {
            throw .refused("derive CURVE public key", errno: ZMQErrno.invalid, "a CURVE key is 40 Z85 characters")
        }
        var publicText = [CChar](repeating: 0, count: 41)
        try zmqCall("derive CURVE public key") { zmq_curve_public(&publicText, secretKey) }
        self.init(publicKey: text(publicText), secretKey: secretKey)
    }

    private init(publicKey: String, secretKey: String) {
        self.publicKey = publicKey
        self.secretKey = secretKey
    }

    public var description: String { "CurveKeyPair(public: \(publicKey))" }
}

private func text(_ cString: [CChar]) -> String {
    String(decoding: cString.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}
