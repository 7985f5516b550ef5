/// The start state's group bound carried to every later state of the search, at the price of a
/// table look-up per group (the per-state group bound: the groups are solved once, at the start).
///
/// Claim. Let G1, …, Gm be disjoint groups with their exact tables at the start set S0
/// (GroupBound: table_G[E] = the least Σ c(g_i, E ∪ {g1, …, g_(i−1)}) over orders of G ∖ E, with
/// S0 ∪ E ∪ … shareable). At a later set S ⊇ S0, with E_G = G ∩ S and term_S(v) CutBound's term at S,
///
///     h(S) = Σ over groups of max(table_G[E_G], Σ over v ∈ G ∖ S of term_S(v))
///          + Σ over remaining v in no group of term_S(v)
///
/// never exceeds the cheapest cost of eliminating the rest from S.
///
/// Proof. In a completion from S, let G ∖ S go in the order g1, …, gk, g_i at set T_i. Then
/// T_i ⊇ S0 ∪ E_G ∪ {g1, …, g_(i−1)} (S ⊇ S0 and S ⊇ E_G), and CutBound's argument needs only that
/// the shared set be contained in T_i, so g_i pays at least c(g_i, E_G ∪ {g1, …, g_(i−1)}) as
/// computed at S0; summing gives at least table_G[E_G]. Each g_i also pays at least term_S(g_i)
/// (CutBound at S). Both bound the same vertices' costs, so their maximum does; groups and the
/// ungrouped vertices are disjoint, so the parts add. Admissible, not consistent (like the pairs).
struct InheritedGroups {
    private let members: [[Int]]
    private let tables: [[Int32]]
    /// Group of each vertex (index v − 1), −1 for none.
    private let groupOf: [Int]

    init(groups: [(members: [Int], table: [Int])], vertexCount n: Int) {
        members = groups.map(\.members)
        tables = groups.map { $0.table.map { Int32(clamping: $0) } }
        var groupOf = [Int](repeating: -1, count: n)
        for (g, group) in groups.enumerated() { for v in group.members { groupOf[v - 1] = g } }
        self.groupOf = groupOf
    }

    var isEmpty: Bool { members.isEmpty }

    /// Each group with D(G), its least joint cost from the start (the table's entry for nothing
    /// eliminated): the group rows of EliminationProgram.
    var costs: [(members: [Int], cost: Int)] {
        zip(members, tables).map { ($0, Int($1[0])) }
    }

    /// h(S) for `set`, given CutBound's terms at that set (index v − 1; 0 for eliminated vertices).
    func evaluate(set: VertexSet, terms: [Int]) -> Int {
        var total = 0
        for (i, t) in terms.enumerated() where groupOf[i] < 0 { total += t }
        for (g, group) in members.enumerated() {
            var mask = 0, remaining = 0
            for (j, v) in group.enumerated() {
                if set.contains(v) { mask |= 1 << j } else { remaining += terms[v - 1] }
            }
            total += max(Int(tables[g][mask]), remaining)
        }
        return total
    }
}
