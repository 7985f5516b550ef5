import Cluster
import Foundation
import Wire
import ZeroMQ

/// The coordinator's side of CURVE: its secret key and the public keys it admits.
public struct ServerSecurity: Sendable {
    public var keys: CurveKeyPair
    public var allowList: CurveAllowList

    func apply(to socket: ZMQSocket) throws(ZMQError) {
        try socket.set(.curveServer(true))
        try socket.set(.curveSecretKey(keys.secretKey))
        try socket.set(.zapDomain(WireProtocol.zapDomain))
    }
}

/// A worker's or learner's side: its own key pair and the coordinator's public key.
public struct ClientSecurity: Sendable {
    public var keys: CurveKeyPair
    public var serverPublicKey: String

    func apply(to socket: ZMQSocket) throws(ZMQError) {
        try socket.set(.curveServerKey(serverPublicKey))
        try socket.set(.curvePublicKey(keys.publicKey))
        try socket.set(.curveSecretKey(keys.secretKey))
    }
}

/// Key files as `ccelim keys generate` writes them: `public: Z85` and `secret: Z85` lines (the
/// public line is for people; the pair is rebuilt from the secret key, so they cannot disagree).
public enum KeyFile {
    public static func text(_ pair: CurveKeyPair) -> String {
        "# ccelim CURVE key pair; keep this file private (chmod 600)\npublic: \(pair.publicKey)\nsecret: \(pair.secretKey)\n"
    }

    public static func read(_ path: String) throws -> CurveKeyPair {
        let text = try readText(path, what: "key file")
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("secret:") }) else {
            throw ShellError("\(path) has no 'secret: KEY' line (write one with `ccelim keys generate -o \(path)`)")
        }
        let secret = line.dropFirst("secret:".count).trimmingCharacters(in: .whitespaces)
        do {
            return try CurveKeyPair(secretKey: secret)
        } catch {
            throw ShellError("\(path): \(error.reason)")
        }
    }

    /// One Z85 public key per line; blank lines and # comments ignored; `public: KEY` lines (a
    /// whole key file's public half) are accepted too.
    public static func readAllowList(_ path: String) throws -> CurveAllowList {
        let text = try readText(path, what: "allow-list")
        var keys: [String] = []
        for raw in text.split(separator: "\n") {
            var line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix("secret:") { continue }
            if line.hasPrefix("public:") { line = line.dropFirst("public:".count).trimmingCharacters(in: .whitespaces) }
            keys.append(line)
        }
        do {
            return try CurveAllowList(publicKeys: keys, domain: WireProtocol.zapDomain)
        } catch {
            throw ShellError("\(path): \(error.reason)")
        }
    }

    static func readText(_ path: String, what: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8)
        else {
            throw ShellError("cannot read the \(what) '\(path)'")
        }
        return text
    }
}

extension ClusterConfig.Security {
    /// The coordinator's CURVE setup, or nil when `curve = false`.
    public func server() throws -> ServerSecurity? {
        guard curve else { return nil }
        guard CurveKeyPair.isAvailable else {
            throw ShellError("security.curve is on but this libzmq has no CURVE support")
        }
        guard !serverSecretKeyFile.isEmpty, !allowedKeysFile.isEmpty else {
            throw ShellError("security.curve needs server_secret_key_file and allowed_keys_file on the coordinator")
        }
        return ServerSecurity(
            keys: try KeyFile.read(serverSecretKeyFile), allowList: try KeyFile.readAllowList(allowedKeysFile))
    }

    /// A client's CURVE setup, or nil when `curve = false`.
    public func client() throws -> ClientSecurity? {
        guard curve else { return nil }
        guard !clientKeyFile.isEmpty, !serverPublicKey.isEmpty else {
            throw ShellError("security.curve needs client_key_file and server_public_key on workers and the learner")
        }
        return ClientSecurity(keys: try KeyFile.read(clientKeyFile), serverPublicKey: serverPublicKey)
    }
}
