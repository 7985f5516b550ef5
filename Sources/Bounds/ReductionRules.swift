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
