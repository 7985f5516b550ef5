import Elimination

/// For every vertex: how many inputs reach it and how many outputs it reaches (ANGEL's
/// "independent" and "dependent" counts). Elimination keeps every input→output path (it only
/// short-cuts them), so the counts of the initial graph stay right for the whole game.
struct ReachCounts {
    /// inputsReaching[v − 1], outputsReached[v − 1].
    let inputsReaching: [Int]
    let outputsReached: [Int]

    init(spec: GameSpec) {
        let n = spec.vertexCount
        let initial = EliminationState(spec: spec)
        let vertices = Array(stride(from: 1, through: n, by: 1))
        let outputs = vertices.filter { spec.isOutput[$0 - 1] }
        let outputIndex = Dictionary(uniqueKeysWithValues: outputs.enumerated().map { ($1, $0) })
        // Bitsets over inputs (resp. outputs), one per vertex. Vertex ids follow equation order,
        // so every edge goes from a lower id to a higher one: one sweep each way suffices.
        let inWords = (spec.inputCount + 63) / 64, outWords = (outputs.count + 63) / 64
        var inputSets = [[UInt64]](repeating: [UInt64](repeating: 0, count: inWords), count: n)
        for v in vertices {
            for p in initial.predecessors(of: v) {
                switch p {
                case .input(let i): inputSets[v - 1][(i - 1) >> 6] |= 1 << UInt64((i - 1) & 63)
                case .vertex(let u): for w in 0..<inWords { inputSets[v - 1][w] |= inputSets[u - 1][w] }
                }
            }
        }
        var outputSets = [[UInt64]](repeating: [UInt64](repeating: 0, count: outWords), count: n)
        for v in vertices.reversed() {
            if let k = outputIndex[v] { outputSets[v - 1][k >> 6] |= 1 << UInt64(k & 63) }
            for s in initial.successors(of: v) {
                for w in 0..<outWords { outputSets[v - 1][w] |= outputSets[s - 1][w] }
            }
        }
        inputsReaching = inputSets.map { $0.reduce(0) { $0 + $1.nonzeroBitCount } }
        outputsReached = outputSets.map { $0.reduce(0) { $0 + $1.nonzeroBitCount } }
    }
}
