/// One ZAP request as libzmq sends it to the handler (RFC 27): version "1.0", request id,
/// domain, peer address, routing id, mechanism, then the mechanism's credentials (for CURVE,
/// the client's 32-byte public key). Pure, so the allow/deny logic is tested without sockets.
public struct ZAPRequest: Sendable, Equatable {
    public let requestId: [UInt8]
    public let domain: String
    /// The peer's IP address as libzmq reports it.
    public let address: String
    public let routingId: [UInt8]
    /// "NULL", "PLAIN" or "CURVE".
    public let mechanism: String
    public let credentials: [[UInt8]]

    /// nil when the frames are not a ZAP 1.0 request; the handler still answers (REP must), with 500.
    public init?(frames: [[UInt8]]) {
        guard frames.count >= 6, frames[0] == Array("1.0".utf8) else { return nil }
        requestId = frames[1]
        domain = String(decoding: frames[2], as: UTF8.self)
        address = String(decoding: frames[3], as: UTF8.self)
        routingId = frames[4]
        mechanism = String(decoding: frames[5], as: UTF8.self)
        credentials = Array(frames[6...])
    }
}

/// The handler's verdict on one request, for the coordinator's log.
public struct ZAPDecision: Sendable, Equatable {
    public let allowed: Bool
    /// The client's CURVE public key as Z85, when it sent one.
    public let clientKey: String?
    public let address: String
    public let mechanism: String
    /// Why, in words ("key not on the allow-list").
    public let reason: String

    /// ZAP status code: 200 allowed, 400 denied, 500 malformed request.
    public let statusCode: String
}

/// Who may connect: CURVE clients whose public key is on the list, optionally only for one ZAP
/// domain. Everything else (NULL or PLAIN mechanism, another domain, an unknown key) is denied.
public struct CurveAllowList: Sendable, Equatable {
    /// Z85 public keys.
    public let publicKeys: Set<String>
    /// When set, requests for any other domain are denied.
    public let domain: String?

    /// Every key must be 40 Z85 characters; a bad one is named rather than silently never matching.
    public init(publicKeys: [String], domain: String? = nil) throws(ZMQError) {
        for key in publicKeys where !Z85.isValidKey(key) {
            throw .refused(
                "build CURVE allow-list", errno: ZMQErrno.invalid,
                "'\(key)' is not a CURVE public key (40 Z85 characters)")
        }
        self.publicKeys = Set(publicKeys)
        self.domain = domain
    }

    public func decide(_ request: ZAPRequest) -> ZAPDecision {
        func verdict(_ allowed: Bool, key: String?, _ reason: String) -> ZAPDecision {
            ZAPDecision(
                allowed: allowed, clientKey: key, address: request.address, mechanism: request.mechanism,
                reason: reason, statusCode: allowed ? "200" : "400")
        }
        if let domain, request.domain != domain {
            return verdict(false, key: nil, "ZAP domain '\(request.domain)' is not '\(domain)'")
        }
        guard request.mechanism == "CURVE" else {
            return verdict(false, key: nil, "mechanism \(request.mechanism) is not allowed, only CURVE")
        }
        guard request.credentials.count == 1, request.credentials[0].count == 32,
            let key = try? Z85.encode(request.credentials[0])
        else {
            return verdict(false, key: nil, "CURVE credentials are not one 32-byte public key")
        }
        return publicKeys.contains(key)
            ? verdict(true, key: key, "key on the allow-list")
            : verdict(false, key: key, "key not on the allow-list")
    }

    /// The reply frames for a request (RFC 27): version, request id, status code, status text,
    /// user id (the client key, so the server could tell peers apart), metadata (none).
    static func reply(to requestId: [UInt8], _ decision: ZAPDecision) -> [[UInt8]] {
        [
            Array("1.0".utf8), requestId, Array(decision.statusCode.utf8), Array(decision.reason.utf8),
            Array((decision.allowed ? decision.clientKey ?? "" : "").utf8), [],
        ]
    }
}
