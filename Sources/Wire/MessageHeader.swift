/// The 8-byte first frame: "CCEL", version (UInt16 LE), kind (UInt16 LE).
enum MessageHeader {
    static func encode(_ kind: MessageKind) -> [UInt8] {
        var w = ByteWriter(capacity: WireProtocol.headerByteCount)
        for b in WireProtocol.magic { w.integer(b) }
        w.integer(WireProtocol.version)
        w.integer(kind.rawValue)
        return w.bytes
    }

    /// Checked in the order that gives the most useful error: a non-ccelim peer is told so
    /// before its version is looked at, and a newer peer is told about the version before
    /// its (possibly new) kind is judged.
    static func decode(_ frame: [UInt8]) throws(WireError) -> MessageKind {
        guard frame.count == WireProtocol.headerByteCount else { throw .badHeaderSize(frame.count) }
        guard Array(frame[0..<4]) == WireProtocol.magic else { throw .badMagic(Array(frame[0..<4])) }
        var r = ByteReader(Array(frame[4...]), frame: "header")
        let version = try r.integer(UInt16.self, "header.version")
        guard version == WireProtocol.version else { throw .unsupportedVersion(version) }
        let raw = try r.integer(UInt16.self, "header.kind")
        guard let kind = MessageKind(rawValue: raw) else { throw .unknownKind(raw) }
        return kind
    }
}
