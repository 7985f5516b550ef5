import Elimination

/// When is the graph after some eliminations a function of the SET of eliminated vertices alone?
///
/// Which edges exist always is: p→s exists iff some path p→…→s runs through eliminated vertices
/// only. Their labels need not be: under the paper's sparsity tables a fill-in edge's type can
/// depend on the order (two orders of one prefix of Encoder or f give an edge type 1 in one and
/// type 4 in the other; SearchTests check this). On a graph whose edges are all dense scalars
/// (type 1, shape (1,1)) every product and sum is again a dense scalar, so there the state is a
/// function of the set: the classical (Markowitz) setting of RoeFlux_1d, RobotArm, g, …
///
/// Searches use this to skip work: the exact search keys its memo by the set alone, and local
/// search stops re-scoring an order where it agrees again with the old one in its prefix set.
enum SetDeterminedGraphs {
    static func holds(for spec: GameSpec) -> Bool {
        let state = EliminationState(spec: spec)
        for v in stride(from: 1, through: spec.vertexCount, by: 1) {
            for p in state.predecessors(of: v) {
                guard let label = state.label(from: p, to: v),
                    label.type == 1, label.out.isScalar, label.primal.isScalar
                else { return false }
            }
        }
        return true
    }
}
