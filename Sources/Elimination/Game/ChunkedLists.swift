/// The sparse layout's per-vertex (or per-node) edge lists, held in chunks of `chunkSize` lists.
/// A copy of a state shares every chunk, and a write copies only the chunk it lands in
/// (copy-on-write per chunk): annealing's replays and a search's children copy a state and then
/// eliminate a few vertices, so a move copies n / `chunkSize` chunk references plus the few chunks
/// its steps touch, instead of one reference per vertex of a flat array of lists (100,000 retains
/// and releases per move on a 100k-vertex graph). Two states that share a chunk compare it by
/// identity, so `EliminationState.hasSameGraph` skips the chunks no step touched.
struct ChunkedLists: RandomAccessCollection, MutableCollection, Equatable, Sendable {
    /// log2 of the lists per chunk: 16. A copy that then replays k steps copies the chunk table
    /// (n / 16 references) and about 4k chunks of 16; annealing replays a few hundred steps per move
    /// on a 100k-vertex graph, where 16 copies fewest references (256 per chunk copied nearly all).
    static let chunkBits = 4
    static let chunkSize = 1 << chunkBits

    private var chunks: [[[UInt64]]]
    let count: Int

    /// `count` empty lists.
    init(count: Int) {
        self.count = count
        chunks = stride(from: 0, to: count, by: Self.chunkSize).map {
            [[UInt64]](repeating: [], count: Swift.min(Self.chunkSize, count - $0))
        }
    }

    var startIndex: Int { 0 }
    var endIndex: Int { count }

    subscript(i: Int) -> [UInt64] {
        get { chunks[i >> Self.chunkBits][i & (Self.chunkSize - 1)] }
        // In place: only a chunk another state shares is copied, and the list itself is not.
        _modify { yield &chunks[i >> Self.chunkBits][i & (Self.chunkSize - 1)] }
    }

    /// A copy with fresh storage for every chunk and every list (nothing shared with `self`).
    func deepCopy() -> ChunkedLists {
        var copy = self
        copy.chunks = chunks.map { chunk in chunk.map { list in list.withUnsafeBufferPointer { Array($0) } } }
        return copy
    }
}
