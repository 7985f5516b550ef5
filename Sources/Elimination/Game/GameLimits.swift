/// How large a graph the game can hold, and what one state costs. `EliminationState` is dense: a
/// (sources × targets) matrix of packed 32-bit labels, sources = inputs + vertices (N), targets =
/// vertices (n), plus predecessor and successor bitsets. Every state, and every copy search makes,
/// holds all of it, so a graph is refused — before anything of that size is allocated — when one
/// state would exceed `maxStateBytes`. A sparse state that would lift this is issue 17.
public enum GameLimits {
    /// 1 GiB for one state: at most 15,893 vertices with one input. The largest Dataset task
    /// (RoeFlux_3d, 146 vertices) needs 93 KiB; a chain of one input and 15,000 vertices needs
    /// 0.89 GiB. PPO and search hold many states at once, so a graph near this limit is already
    /// impractical to train on. The spec keeps the initial labels too, so even one cost evaluation
    /// holds two of these (a 15,000-vertex chain: 1.9 GB resident for `ccelim cost`).
    public static let maxStateBytes = 1 << 30
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

    /// The most vertices a graph with `inputs` inputs may have (0 if even one does not fit).
    public static func maxVertices(inputs: Int) -> Int {
        var low = 0, high = 1 << 20  // 2^20 vertices need 4 TiB: always above the limit
        while low < high {
            let mid = (low + high + 1) / 2
            if stateBytes(inputs: inputs, vertices: mid) <= maxStateBytes { low = mid } else { high = mid - 1 }
        }
        return low
    }

    /// Refuses a graph whose state would not fit; `line` is where the error points.
    static func check(inputs: Int, vertices: Int, line: Int) throws(ImportError) {
        let bytes = stateBytes(inputs: inputs, vertices: vertices)
        guard bytes > maxStateBytes else { return }
        throw tooLarge(
            "the program has \(grouped(inputs)) input\(inputs == 1 ? "" : "s") and \(grouped(vertices)) vertices",
            bytes: bytes, inputs: inputs, line: line)
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
            "\(what): \(size); ccelim keeps a dense (inputs + vertices) × vertices label matrix per state (a sparse state is issue 17)"
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
