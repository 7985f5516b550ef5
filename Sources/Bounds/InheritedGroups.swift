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
///
/// Weighted (a FractionalPacking carried on). With weights k_G ≥ 0 over a denominator Q and
/// load(v) = Σ_{G∋v} k_G ≤ Q for every v,
///
///     h(S) = ⌊( Σ_G k_G · max(table_G[E_G], Σ_{v∈G∖S} term_S(v)) + Σ_{v∉S} (Q − load(v))·term_S(v) ) / Q⌋
///
/// never exceeds the cheapest cost c of eliminating the rest (the disjoint case is Q = 1, k = 1).
/// Proof. With c_v what a remaining v costs, Q·Σ_{v∉S} c_v = Σ_{v∉S} (load(v) + Q − load(v))·c_v
/// = Σ_G k_G Σ_{v∈G∖S} c_v + Σ_{v∉S} (Q − load(v))·c_v. Each group's remaining members cost at least
/// the max above (the claim for one group), each c_v ≥ term_S(v), and k_G, Q − load(v) ≥ 0, so
/// Q·c ≥ the numerator; c is an integer, so c ≥ the floor.
struct InheritedGroups {
    private let members: [[Int]]
    private let tables: [[Int32]]
    /// Group of each vertex (index v − 1), −1 for none (disjoint groups only).
    private let groupOf: [Int]
    /// Weighted form: each group's weight, the denominator, and each vertex's share in no group
    /// (Q − load(v), index v − 1). Empty weights: the disjoint form.
    private let weights: [Int]
    private let denominator: Int
    private let rest: [Int]

    init(groups: [(members: [Int], table: [Int])], vertexCount n: Int) {
        members = groups.map(\.members)
        tables = groups.map { $0.table.map { Int32(clamping: $0) } }
        var groupOf = [Int](repeating: -1, count: n)
        for (g, group) in groups.enumerated() { for v in group.members { groupOf[v - 1] = g } }
        self.groupOf = groupOf
        weights = []
        denominator = 1
        rest = []
    }

    /// The weighted form: `denominator` ≥ 1, weights ≥ 0, every vertex's groups weigh at most the
    /// denominator together (a FractionalPacking; checked).
    init(weighted groups: [(members: [Int], table: [Int], weight: Int)], denominator: Int, vertexCount n: Int) {
        members = groups.map(\.members)
        tables = groups.map { $0.table.map { Int32(clamping: $0) } }
        groupOf = [Int](repeating: -1, count: n)
        weights = groups.map(\.weight)
        self.denominator = denominator
        var rest = [Int](repeating: denominator, count: n)
        for group in groups { for v in group.members { rest[v - 1] -= group.weight } }
        precondition(
            denominator >= 1 && weights.allSatisfy { $0 >= 0 } && rest.allSatisfy { $0 >= 0 },
            "not a fractional packing")
        self.rest = rest
    }

    var isEmpty: Bool { members.isEmpty }

    /// Each group with D(G), its least joint cost from the start (the table's entry for nothing
    /// eliminated): the group rows of EliminationProgram (valid one by one, weights aside).
    var costs: [(members: [Int], cost: Int)] {
        zip(members, tables).map { ($0, Int($1[0])) }
    }

    /// h(S) for `set`, given CutBound's terms at that set (index v − 1; 0 for eliminated vertices).
    func evaluate(set: VertexSet, terms: [Int]) -> Int {
        if !weights.isEmpty { return weightedEvaluate(set: set, terms: terms) }
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

    private func weightedEvaluate(set: VertexSet, terms: [Int]) -> Int {
        var total = 0
        for (i, t) in terms.enumerated() { total += rest[i] * t }
        for (g, group) in members.enumerated() {
            var mask = 0, remaining = 0
            for (j, v) in group.enumerated() {
                if set.contains(v) { mask |= 1 << j } else { remaining += terms[v - 1] }
            }
            total += weights[g] * max(Int(tables[g][mask]), remaining)
        }
        return total / denominator
    }
}
