/// How large a graph the game can hold, and what one state costs. `EliminationState` has two
/// layouts (`StateLayout`): dense — a (sources × targets) matrix of packed 32-bit labels, sources =
/// inputs + vertices (N), targets = vertices (n), plus predecessor and successor bitsets — for
/// graphs whose dense state is at most `denseLayoutBytes`, and sparse — every edge held twice in
/// sorted per-vertex lists — above. A graph is refused, before anything of that size is
/// allocated, only when even its sparse state would exceed `maxStateBytes`.
public enum GameLimits {
    /// 1 GiB for one state (its initial edges; elimination adds fill-in edges as it goes). About
    /// 8.3 million vertices of one in-edge each; the largest Dataset task (RoeFlux_3d, 146 vertices)
    /// needs 93 KiB dense, a 100,000-equation generated program about 20 MiB sparse. The spec keeps
    /// the initial state too, so one cost evaluation holds two of these.
    public static let maxStateBytes = 1 << 30
    /// The largest dense state: at most this, a graph uses the dense layout (faster steps and
    /// copies; every paper task), above it the sparse one. 4 MiB is about 1,000 vertices. On
    /// RoeFlux_1d dense steps are about 30× faster than sparse ones (Docs/RESULTS.md, "Large
    /// programs"), while a dense state's bytes and copies grow with n²; the crossover size itself
    /// is not measured yet.
    public static let denseLayoutBytes = 4 << 20
    /// Dims are stored as Int32 (a label's out and primal shape): one dimension ≤ 2³¹ − 1.
    public static let maxDimension = Int(Int32.max)
    /// Distinct shapes one graph's labels may use (13 bits of the packed label index them).
    public static var maxDistinctDims: Int { PackedLabel.maxDims - 1 }
    /// How deep `pjit` (or any nested `{ lambda … }`) may nest in jaxpr text; JAX programs nest a
    /// handful of levels; the bound keeps the recursive parser off the end of the stack.
    public static let maxNesting = 64

    /// Bytes of one dense state of a graph with `inputs` inputs and `vertices` vertices
    /// (`Int.max` when it does not fit in an Int):
    /// labels 4·N·n + bitsets 8·(n·⌈N/64⌉ + N·⌈n/64⌉ + ⌈n/64⌉), N = inputs + vertices.
    public static func stateBytes(inputs: Int, vertices n: Int) -> Int {
        let N = inputs + n
        let nodeWords = (N + 63) / 64, vertexWords = (n + 63) / 64
        let (cells, o1) = N.multipliedReportingOverflow(by: n)
        let (labels, o2) = cells.multipliedReportingOverflow(by: 4)
        let (predecessors, o3) = n.multipliedReportingOverflow(by: nodeWords)
        let (successors, o4) = N.multipliedReportingOverflow(by: vertexWords)
        let (words, o5) = predecessors.addingReportingOverflow(successors + vertexWords)
        let (bits, o6) = words.multipliedReportingOverflow(by: 8)
        let (total, o7) = labels.addingReportingOverflow(bits)
        return o1 || o2 || o3 || o4 || o5 || o6 || o7 ? Int.max : total
    }

    /// Bytes one sparse state of a graph with `edges` edges holds (an estimate of what the heap
    /// gives it; `Int.max` on overflow): per list (n in-lists, N out-lists) an 8-byte slot and a
    /// 48-byte array header with its allocation overhead, 16 bytes per edge (it is in two lists,
    /// 8 bytes each) and the eliminated bitset.
    public static func sparseStateBytes(inputs: Int, vertices n: Int, edges: Int) -> Int {
        let lists = inputs.addingReportingOverflow(n.multipliedReportingOverflow(by: 2).partialValue)
        let (listBytes, o1) = lists.partialValue.multipliedReportingOverflow(by: 56)
        let (edgeBytes, o2) = edges.multipliedReportingOverflow(by: 16)
        let (total, o3) = listBytes.addingReportingOverflow(edgeBytes)
        let overflow = lists.overflow || n > Int.max / 4 || o1 || o2 || o3
        return overflow ? Int.max : total + 8 * ((n + 63) / 64)
    }

    /// Bytes one state of this size uses in the layout `StateLayout.automatic` picks for it.
    public static func stateBytes(inputs: Int, vertices: Int, edges: Int) -> Int {
        switch StateLayout.automatic(inputs: inputs, vertices: vertices) {
        case .dense: return stateBytes(inputs: inputs, vertices: vertices)
        case .sparse: return sparseStateBytes(inputs: inputs, vertices: vertices, edges: edges)
        }
    }

    /// The most vertices a graph with `inputs` inputs may have, counting one in-edge per vertex
    /// (0 if even one does not fit). What the readers check before the edges are known.
    public static func maxVertices(inputs: Int) -> Int {
        var low = 0, high = Int(Int32.max)  // node ids are 32-bit in a sparse entry
        while low < high {
            let mid = low + (high - low + 1) / 2
            if sparseStateBytes(inputs: inputs, vertices: mid, edges: mid) <= maxStateBytes {
                low = mid
            } else {
                high = mid - 1
            }
        }
        return low
    }

    /// Refuses a graph whose state would not fit; `edges` nil: not known yet (one per vertex is
    /// assumed, a reader checking its header); `line` is where the error points.
    static func check(inputs: Int, vertices: Int, edges: Int? = nil, line: Int) throws(ImportError) {
        let bytes = sparseStateBytes(inputs: inputs, vertices: vertices, edges: edges ?? vertices)
        guard bytes > maxStateBytes else { return }
        let what =
            "the program has \(grouped(inputs)) input\(inputs == 1 ? "" : "s"), \(grouped(vertices)) vertices"
            + (edges.map { " and \(grouped($0)) edges" } ?? "")
        throw tooLarge(what, bytes: bytes, inputs: inputs, line: line)
    }

    /// The one-line refusal: the size, the limit and why. `bytes` nil: reading stopped early.
    static func tooLarge(_ what: String, bytes: Int?, inputs: Int, line: Int) -> ImportError {
        let most =
            "\(grouped(maxVertices(inputs: inputs))) vertices with \(grouped(inputs)) input\(inputs == 1 ? "" : "s")"
        let size =
            bytes.map {
                "its game state needs \(byteText($0)), above the limit of \(byteText(maxStateBytes)) (at most \(most))"
            }
            ?? "a game state holds at most \(most) within the limit of \(byteText(maxStateBytes))"
        return ImportError(
            .tooLarge, line: line,
            "\(what): \(size); a large graph's state keeps every edge twice in sorted per-vertex lists (sparse layout), so split the program or reduce its equations"
        )
    }

    static func byteText(_ bytes: Int) -> String {
        if bytes == Int.max { return "more than 8 EiB" }
        let units = ["bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"]
        var value = Double(bytes), unit = 0
        while value >= 1024 && unit < units.count - 1 { value /= 1024; unit += 1 }
        if unit == 0 { return "\(bytes) bytes" }
        let rounded = (value * 10).rounded() / 10
        return "\(rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)) \(units[unit])"
    }

    /// 300000 → "300,000".
    static func grouped(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return n < 0 ? "-" + out : out
    }
}
