/// Safe reduction rules for the set-keyed search: at a state S they shrink the moves to try without
/// losing the optimum. "Safe" means: from every state, some optimal continuation starts with an
/// allowed move. By induction the search over allowed moves still finds the optimum, and its memo
/// by S stays exact because each rule looks at the graph after S only (set-determined, SetGraph).
enum ReductionRules {
    /// Free vertex: a remaining vertex with no predecessor or no successor costs 0 now and is
    /// eliminated at once (the only move tried).
    ///
    /// Proof. Say succ(v) = ∅ (the other case is the mirror image). No elimination adds a successor
    /// to v (only eliminating one of v's successors does), so v costs 0 whenever it goes. No path
    /// has v in its interior, because v has no out-edge; by SetGraph's path rule, adding v to the
    /// eliminated set changes no other vertex's predecessor or successor set except to drop v.
    /// So in any order, moving v to the front keeps its cost 0 and can only shrink every later
    /// |P|·|succ|: the order stays at most as expensive.
    static func freeVertex(_ graph: SetGraph, among eliminable: [Int]) -> Int? {
        for v in eliminable where graph.isRemaining(v) {
            if graph.predecessorCount[v - 1] == 0 || graph.successorCount[v - 1] == 0 { return v }
        }
        return nil
    }

    /// False twins: remaining vertices u < w with the same predecessor and the same successor set
    /// (they cannot be adjacent in an acyclic graph). Only u may go first; w waits until u is gone.
    ///
    /// This is the symmetry behind the false-twin rule of Bentert et al. (arXiv 2506.17521, 2025);
    /// the form and proof here are ours. Proof. Swapping u and w maps the graph after S onto itself
    /// (same in- and out-neighbours, no edge between them), and the cost of every elimination is
    /// a function of that graph. So the cost of the rest from S is invariant under the swap: an
    /// optimal continuation that starts with w becomes, after renaming, an optimal continuation of
    /// the same cost that starts with u.
    ///
    /// Needs `graph.loadSuccessorSets()`.
    static func allowedMoves(_ graph: SetGraph, among eliminable: [Int]) -> [Int] {
        var moves: [Int] = []
        candidates: for w in eliminable where graph.isRemaining(w) {
            for u in moves
            where graph.predecessorCount[u - 1] == graph.predecessorCount[w - 1]
                && graph.successorCount[u - 1] == graph.successorCount[w - 1] && graph.areTwins(u, w)
            {
                continue candidates
            }
            moves.append(w)
        }
        return moves
    }
}

extension ReductionRules {
    /// Which condition lets a pass-through vertex go first (the three cases of the proof).
    enum PassThrough: Hashable {
        /// Its predecessor or its successor is never eliminated (an input or an output).
        case fixedNeighbour
        /// Its predecessor already has an edge to its successor: eliminating it adds no edge.
        case noFill
        /// Its predecessor has no other successor, or its successor no other predecessor.
        case chain
    }

    /// Pass-through vertex: a remaining vertex v with one predecessor p, one successor s and no
    /// output copy, where p or s is never eliminated, or s ∈ succ(p), or succ(p) = {v} or
    /// pred(s) = {v}. It costs 1 now and is eliminated at once (the only move tried). Call it only
    /// where `freeVertex` finds none; needs `graph.loadSuccessorSets()`.
    ///
    /// Proof. Below, sets and costs are those of the graph after the eliminated set T; a vertex x
    /// pays |P(x)|·(|succ(x)| − f(x)), f(x) its output copies, which stay in succ(x) (ScalarGraph).
    ///
    /// (0) No remaining vertex is free at S, and none becomes free later: eliminating x puts x's own
    /// predecessors (successors), never none, in place of x in its successors' (predecessors') sets.
    /// So v pays at least 1 whenever it goes, and every remaining vertex has a predecessor.
    ///
    /// (1) While v's predecessor set is {p}, eliminating v changes no set but p's successors (v
    /// replaced by v's successors) and the sets of v's successors (v replaced by p): every other
    /// vertex's sets shrink or stay. Mirror: while succ(v) = {s}, only s's predecessors can grow.
    /// (SetGraph's path rule.)
    ///
    /// Take an optimal continuation π from S; T below is the eliminated set when a vertex goes in π.
    /// - v goes before p and before s (a fixed one never goes): until v goes, P(v) = {p} and
    ///   succ(v) = {s} (only eliminating p or s changes them), so by (1) moving v to the front keeps
    ///   every vertex before it as cheap or cheaper; v pays 1 instead of at least 1; the states after
    ///   v's old turn are the same sets. So some optimal continuation starts with v.
    /// - p goes before v and s after: move v to just before p. v pays 1 there; p, at a set where
    ///   P(v) = {p} and succ(v) = {s}, pays no more by (1); the vertices between p and v's old turn
    ///   pay no more by (1)'s mirror (succ(v) = {s} while s waits; s is not among them). Now v goes
    ///   before p and s: the case above. s before v and p after: the mirror image.
    /// - p and s both go before v. Not possible with a fixed neighbour. If s ∈ succ(p) at S,
    ///   eliminating v adds no edge, so the graph after S ∪ {v} is the graph after S without v: for
    ///   any set T, a path through v (p → v → s) is replaced by the edge p → s with fewer interior
    ///   vertices, so π without v pays no more at each step from S ∪ {v}, and saves v's ≥ 1: the
    ///   optimum from S is at least 1 + the optimum from S ∪ {v}, which v first attains. If
    ///   succ(p) = {v} (the mirror: P(s) = {v}): when p goes in π, succ(p) is still {v} (only
    ///   eliminating a successor of p adds to it) and P(v) = {p}, so the graphs after T ∪ {p} and
    ///   T ∪ {v} are the same up to renaming p and v (each has one vertex with p's predecessors and
    ///   v's successors). So π from S ∪ {v}, skipping p's turn and with p where v went, pays what π
    ///   pays except p's |P(p)|·1 ≥ 1 (by (0)); before p's turn it pays no more by (1)'s first half
    ///   (P(v) = {p}, and p itself has not gone). Again the optimum from S is 1 + the one from
    ///   S ∪ {v}.
    ///
    /// Every case rests on looking at the graph after S alone, so the memo by S stays exact. Without
    /// any of the three conditions the rule is only a conjecture (Docs/RESULTS.md, sessions 29 and
    /// 30: it held on every random graph tried; the case "p and s before v" is reduced there to one
    /// unproven lemma).
    static func passThrough(_ graph: SetGraph, among eliminable: [Int]) -> (vertex: Int, why: PassThrough)? {
        let scalar = graph.graph, W = scalar.words, I = scalar.inputCount
        // The one node set in row `row` of `bits` (called where the row's count is 1).
        func only(_ bits: [UInt64], _ row: Int) -> Int {
            for w in 0..<W where bits[row * W + w] != 0 { return w << 6 + bits[row * W + w].trailingZeroBitCount }
            preconditionFailure("an empty row counted as one node")
        }
        for v in eliminable
        where graph.isRemaining(v) && graph.predecessorCount[v - 1] == 1 && graph.successorCount[v - 1] == 1
            && scalar.freeSuccessors[v - 1] == 0
        {
            let p = only(graph.predecessorBits, v - 1), s = only(graph.successorBits, v - 1)
            if scalar.isFixed[p] || scalar.isFixed[s] { return (v, .fixedNeighbour) }
            // Neither is fixed, so both are vertices (inputs are fixed).
            let pv = p - I + 1, sv = s - I + 1
            if graph.successorBits[(pv - 1) * W + s >> 6] & (1 << UInt64(s & 63)) != 0 { return (v, .noFill) }
            if graph.successorCount[pv - 1] == 1 || graph.predecessorCount[sv - 1] == 1 { return (v, .chain) }
        }
        return nil
    }
}

extension ReductionRules {
    /// The move the rules force at the set loaded in `graph`: a free vertex, else a pass-through
    /// vertex (nil: none). Loads the successor sets when it looks for a pass-through vertex, so
    /// after nil `allowedMoves` can be called at once.
    static func forcedMove(_ graph: inout SetGraph, among eliminable: [Int]) -> Int? {
        if let free = freeVertex(graph, among: eliminable) { return free }
        graph.loadSuccessorSets()
        return passThrough(graph, among: eliminable)?.vertex
    }
}
