import Elimination
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// The policy's view of a state: tokens, each described by `count` numbers that do not depend on
/// the graph's size. That is what lets one set of weights play any graph (the paper's embedding is
/// sized to one graph; ours is not). Eliminated vertices are gone: their effect lives in the edges
/// of the vertices that remain.
///
/// Two views, chosen once per graph by its size (`usesCandidates`), behind this one interface:
/// - every vertex still in the graph (remaining eliminable vertices and the outputs), on graphs of
///   at most `candidateViewAbove` vertices — every paper task. Attention over T tokens costs T² per
///   step, so an episode costs n³;
/// - the candidate set on larger graphs (issue 17): the `candidates` − 2 remaining eliminable
///   vertices cheapest to eliminate now (ties: lowest id), plus the lowest and the highest
///   remaining eliminable id (forward and reverse mode's choices), read from the episode's
///   `RemainingCosts` (kept up to date move by move: a step re-scores the eliminated vertex's
///   neighbours only) and a fixed-size attention, whatever n. Outputs are no tokens.
/// Tokens are ascending by id in both. Statistics over "legal vertices" (mean and minimum cost now,
/// lowest and highest id, rank) are over every remaining eliminable vertex in both views; the
/// Markowitz and lookahead minima (22, 28) are over the tokens.
///
/// Features of token v (all O(1) in magnitude):
///  0 output flag            1 legal (eliminable now)   2 position v / n
///  3 log1p(cost now)        4 cost now ÷ (1 + mean cost now over legal vertices)
///  5 1 if cost now is the minimum over legal vertices
///  6 log1p(Markowitz degree)  7 log1p(in-degree)      8 log1p(out-degree)
///  9 log1p(input predecessors)  10 log1p(output successors)  11 log1p(fill-in)
/// 12 log1p(elements of v)   13–15 in-edges: fraction dense / diagonal / copy-like
/// 16–18 out-edges: fraction dense / diagonal / copy-like
/// 19 episode progress (eliminated ÷ eliminable)
/// 20 1 if v is the highest remaining eliminable id (reverse mode's choice)
/// 21 1 if v is the lowest remaining eliminable id (forward mode's choice)
/// 22 1 if v has the minimal Markowitz degree (minimal Markowitz's choice, ties included)
/// 23 rank of v among the remaining eliminable vertices, 0 (lowest id) … 1 (highest)
/// The last four let a policy express each baseline with one weight, so learning starts from
/// orders as good as the classical ones and improves on them.
///
/// Lookahead (issue 14; `EliminationState.lookahead`, exact, 0 on outputs): what eliminating v now
/// does to its eliminable neighbours, with Δcost = Σ neighbours' cost now after − before and
/// ΔM the same for their Markowitz degrees; slog(x) = sign(x) · log1p(|x|):
/// 24 slog(Δcost)   25 log1p(neighbours' cost after) − log1p(before)   26 slog(ΔM)
/// 27 slog(cost now + Δcost)   28 1 if v has the minimal cost now + Δcost over the tokens
/// (ties included: a one-step-lookahead greedy's choice).
/// A network reads the first `NetworkConfig.features` of them (`PolicyNetwork`): checkpoints of
/// 24 features (before issue 14's lookahead) play on as they were trained.
public enum TokenFeatures {
    public static let count = 29
    /// Features of the networks trained before the lookahead features (0–23).
    public static let withoutLookahead = 24
    /// Graphs with more vertices than this get the candidate view.
    public static let candidateViewAbove = 512
    /// Tokens of the candidate view (fewer only when fewer eliminable vertices remain).
    public static let candidates = 64

    /// Whether states of `spec` are seen through the candidate set (see the type's comment).
    public static func usesCandidates(_ spec: GameSpec) -> Bool { spec.vertexCount > candidateViewAbove }

    /// The most tokens a state of `spec` has: what a network's `maxTokens` must hold to play it.
    public static func maxTokens(_ spec: GameSpec) -> Int {
        usesCandidates(spec) ? min(candidates, spec.eliminable.count) : spec.vertexCount
    }

    /// Number of tokens of a state.
    public static func tokenCount(_ state: EliminationState) -> Int {
        let spec = state.spec
        return usesCandidates(spec)
            ? min(candidates, spec.eliminable.count - state.steps) : spec.vertexCount - state.steps
    }

    /// The per-episode index the candidate view reads (`RemainingCosts`), nil on the full view. An
    /// episode that keeps it (moves through `eliminate(_:in:costs:)`) and passes it to `write` pays
    /// for the vertices each move changes instead of a scan of every remaining vertex per step.
    public static func episodeCosts(_ state: EliminationState) -> RemainingCosts? {
        usesCandidates(state.spec) ? RemainingCosts(state) : nil
    }

    /// Eliminates v (legal) from `state`, keeping `costs` (from `episodeCosts`) up to date.
    @discardableResult
    public static func eliminate(_ v: Int, in state: inout EliminationState, costs: inout RemainingCosts?) -> Int {
        if costs != nil { return costs!.eliminate(v, in: &state) }
        return state.eliminateUnchecked(v)
    }

    /// Writes the tokens of `state` into `features` (T × count), their vertex ids into `vertices`
    /// (T) and the legal-action mask into `legal` (T). Returns T (`tokenCount(state)`). `costs`:
    /// `state`'s `RemainingCosts` kept over the episode, if the caller keeps one (the candidate
    /// view only; without it the view builds one from the state, a scan of every remaining vertex).
    @discardableResult
    public static func write(
        _ state: EliminationState,
        costs: RemainingCosts? = nil,
        features: UnsafeMutablePointer<Float>,  // (T, count)
        vertices: UnsafeMutablePointer<Int32>,  // (T)
        legal: UnsafeMutablePointer<Bool>  // (T)
    ) -> Int {
        let spec = state.spec
        var context = Context(
            n: spec.vertexCount, progress: Float(state.steps) / Float(max(spec.eliminable.count, 1)))
        var ids: [Int] = [], ranks: [Int] = [], summaries: [VertexSummary] = []
        if usesCandidates(spec) {
            (ids, ranks) = candidateTokens(costs ?? RemainingCosts(state), context: &context)
            summaries = ids.map { state.summary(of: $0) }
        } else {
            ids.reserveCapacity(spec.vertexCount - state.steps)
            summaries.reserveCapacity(spec.vertexCount - state.steps)
            for v in 1...spec.vertexCount where !state.isEliminated(v) {
                let s = state.summary(of: v)
                ids.append(v)
                summaries.append(s)
                ranks.append(context.legalCount)
                if !spec.isOutput[v - 1] { context.noteLegal(v, cost: s.costNow) }
            }
        }
        var looks = [NeighbourLookahead](repeating: NeighbourLookahead(), count: ids.count)
        for (t, v) in ids.enumerated() where !spec.isOutput[v - 1] {
            context.minDegree = min(context.minDegree, summaries[t].markowitzDegree)
            looks[t] = state.lookahead(of: v)
            context.minLookahead = min(context.minLookahead, lookaheadScore(summaries[t], looks[t]))
        }
        for t in ids.indices {
            let v = ids[t], isOutput = spec.isOutput[v - 1]
            writeToken(
                v, summaries[t], looks[t], rank: ranks[t], isOutput: isOutput, elements: spec.vertexElements[v - 1],
                context, features + t * count)
            vertices[t] = Int32(v)
            legal[t] = !isOutput
        }
        return ids.count
    }

    /// What the features of one token need to know about all of them.
    private struct Context {
        let n: Int
        let progress: Float
        var legalCost = 0, legalCount = 0, minCost = Int.max, minDegree = Int.max
        var lowest = Int.max, highest = 0
        var minLookahead = Int.max

        init(n: Int, progress: Float) {
            self.n = n
            self.progress = progress
        }

        mutating func noteLegal(_ v: Int, cost: Int) {
            legalCost += cost
            legalCount += 1
            minCost = min(minCost, cost)
            lowest = min(lowest, v)
            highest = max(highest, v)
        }
    }

    /// A one-step lookahead greedy's score: the cost now plus what the move adds to (or saves
    /// on) the neighbours' costs now.
    private static func lookaheadScore(_ s: VertexSummary, _ l: NeighbourLookahead) -> Int {
        s.costNow &+ l.costAfter &- l.costBefore
    }

    private static func slog(_ x: Int) -> Float { x < 0 ? -log1pf(Float(-x)) : log1pf(Float(x)) }

    private static func writeToken(
        _ v: Int, _ s: VertexSummary, _ l: NeighbourLookahead, rank: Int, isOutput: Bool, elements: Int, _ c: Context,
        _ f: UnsafeMutablePointer<Float>
    ) {
        let cost = isOutput ? 0 : s.costNow
        let meanCost = c.legalCount > 0 ? Float(c.legalCost) / Float(c.legalCount) : 0
        let inEdges = Float(max(s.inDegree, 1)), outEdges = Float(max(s.outDegree, 1))
        f[0] = isOutput ? 1 : 0
        f[1] = isOutput ? 0 : 1
        f[2] = Float(v) / Float(c.n)
        f[3] = log1pf(Float(cost))
        f[4] = Float(cost) / (1 + meanCost)
        f[5] = !isOutput && cost == c.minCost ? 1 : 0
        f[6] = log1pf(Float(s.markowitzDegree))
        f[7] = log1pf(Float(s.inDegree))
        f[8] = log1pf(Float(s.outDegree))
        f[9] = log1pf(Float(s.inputPredecessors))
        f[10] = log1pf(Float(s.outputSuccessors))
        f[11] = log1pf(Float(s.fillIn))
        f[12] = log1pf(Float(elements))
        f[13] = Float(s.inDense) / inEdges
        f[14] = Float(s.inDiagonal) / inEdges
        f[15] = Float(s.inCopy) / inEdges
        f[16] = Float(s.outDense) / outEdges
        f[17] = Float(s.outDiagonal) / outEdges
        f[18] = Float(s.outCopy) / outEdges
        f[19] = c.progress
        f[20] = !isOutput && v == c.highest ? 1 : 0
        f[21] = !isOutput && v == c.lowest ? 1 : 0
        f[22] = !isOutput && s.markowitzDegree == c.minDegree ? 1 : 0
        f[23] = isOutput ? 0 : Float(rank) / Float(max(c.legalCount - 1, 1))
        f[24] = slog(l.costAfter &- l.costBefore)
        f[25] = log1pf(Float(l.costAfter)) - log1pf(Float(l.costBefore))
        f[26] = slog(l.markowitzAfter &- l.markowitzBefore)
        f[27] = isOutput ? 0 : slog(lookaheadScore(s, l))
        f[28] = !isOutput && lookaheadScore(s, l) == c.minLookahead ? 1 : 0
    }

    /// The candidate view's tokens, ascending, with their ranks among the remaining eliminable
    /// vertices, from the episode's remaining costs; fills `context`'s statistics over every
    /// remaining eliminable vertex.
    private static func candidateTokens(
        _ costs: RemainingCosts, context: inout Context
    ) -> (
        ids: [Int], ranks: [Int]
    ) {
        let count = costs.count
        guard count > 0, let minimum = costs.minimum else { return ([], []) }
        context.legalCost = costs.total
        context.legalCount = count
        context.minCost = minimum
        context.lowest = costs.vertex(atRank: 0)
        context.highest = costs.vertex(atRank: count - 1)
        var ranks = Set([0, count - 1])  // the lowest and the highest id
        for v in costs.cheapest(candidates - 2) { ranks.insert(costs.rank(of: v)) }
        // The lowest or highest id was among the cheapest: fill up with the lowest ids not in yet.
        var next = 0
        while ranks.count < min(candidates, count) {
            ranks.insert(next)
            next += 1
        }
        let sorted = ranks.sorted()
        return (sorted.map { costs.vertex(atRank: $0) }, sorted)
    }
}
