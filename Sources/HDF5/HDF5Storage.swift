/// How a fixed-shape dataset is laid out on disk. Contiguous is the default; chunking is what
/// filters need, so asking for the Fletcher-32 checksum without a chunk shape picks one.
public struct HDF5Storage: Equatable, Sendable {
    /// Chunk dimensions (same rank as the data), or nil for contiguous / automatic.
    public var chunkShape: [Int]?
    /// Store a Fletcher-32 checksum per chunk; a corrupted chunk then fails to read instead of
    /// returning wrong numbers.
    public var fletcher32: Bool

    public init(chunkShape: [Int]? = nil, fletcher32: Bool = false) {
        self.chunkShape = chunkShape
        self.fletcher32 = fletcher32
    }

    public static let contiguous = HDF5Storage()
    /// Checksummed, with an automatic chunk shape.
    public static let checksummed = HDF5Storage(fletcher32: true)

    var isChunked: Bool { chunkShape != nil || fletcher32 }

    /// Target bytes per automatic chunk: big enough that whole-array reads are a few large I/Os,
    /// at most HDF5's default 1 MiB chunk cache so partial reads are cached too.
    static let automaticChunkBytes = 1 << 20

    /// The chunk shape to use for data of `shape`: the explicit one, or the whole array halved
    /// along its largest axis until it fits `automaticChunkBytes` (zero-length axes become 1,
    /// as HDF5 forbids zero chunk dimensions).
    func resolvedChunkShape(for shape: [Int], elementSize: Int) -> [Int] {
        if let chunkShape { return chunkShape }
        var chunk = shape.map { max($0, 1) }
        while chunk.reduce(elementSize, *) > Self.automaticChunkBytes,
            let axis = chunk.indices.max(by: { chunk[$0] < chunk[$1] }), chunk[axis] > 1
        {
            chunk[axis] = (chunk[axis] + 1) / 2
        }
        return chunk
    }
}
