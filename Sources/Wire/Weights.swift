import Checksum

/// A policy's flat parameter buffer with its version and checksum; the body of both `weights`
/// (coordinator → actor) and `publishWeights` (learner → coordinator).
public struct Weights: Equatable, Sendable {
    /// ≥ 1 and strictly increasing over a run; 0 means "no weights" everywhere else.
    public let version: UInt64
    /// FNV-1a 64 of `parameters`' little-endian bytes; always consistent with them.
    public let checksum: UInt64
    /// The network preset whose parameter layout `parameters` follows.
    public let preset: String
    public let parameters: [Float]

    /// Computes the checksum, so a `Weights` value can never carry a wrong one.
    public init(version: UInt64, preset: String, parameters: [Float]) {
        self.init(
            version: version, preset: preset, parameters: parameters,
            checksum: FNV1a64.checksum(of: parameters))
    }

    private init(version: UInt64, preset: String, parameters: [Float], checksum: UInt64) {
        self.version = version
        self.checksum = checksum
        self.preset = preset
        self.parameters = parameters
    }

    func writeMeta(into w: inout ByteWriter) {
        w.integer(version)
        w.integer(checksum)
        w.string(preset)
        w.count(parameters.count)
    }

    func writeParameters(into w: inout ByteWriter) {
        w.float32s(parameters)
    }

    /// `meta` and `bulk` are the two body frames; `name` is the kind, for error messages.
    init(meta: inout ByteReader, bulk: inout ByteReader, name: String) throws(WireError) {
        let version = try meta.integer(UInt64.self, "\(name).version")
        guard version >= 1 else { throw .invalidValue(field: "\(name).version", reason: "must be at least 1") }
        let stated = try meta.integer(UInt64.self, "\(name).checksum")
        let preset = try meta.string("\(name).preset", maxBytes: WireLimits.maxNameBytes, allowEmpty: false)
        let n = Int(try meta.integer(UInt32.self, "\(name).parameterCount"))
        guard n <= WireLimits.maxParameters else {
            throw .limitExceeded(field: "\(name).parameterCount", value: n, limit: WireLimits.maxParameters)
        }
        try meta.finish()
        guard bulk.remaining == n * 4 else {
            if bulk.remaining < n * 4 {
                throw .truncated(field: "\(name).parameters", needed: n * 4, remaining: bulk.remaining)
            }
            throw .trailingBytes(frame: bulk.frame, count: bulk.remaining - n * 4)
        }
        let parameters = try bulk.float32s(count: n, "\(name).parameters")
        let computed = FNV1a64.checksum(of: parameters)
        guard computed == stated else { throw .checksumMismatch(stated: stated, computed: computed) }
        self.init(version: version, preset: preset, parameters: parameters, checksum: computed)
    }
}
