/// GroupBound's groups packed fractionally: weights instead of a choice of disjoint groups, the
/// best weights from a linear program.
///
/// Claim. Let S be the eliminated set, c_v ≥ 0 what a remaining vertex v costs when it goes in some
/// completion, term(v) CutBound's term at S, and for candidate groups G of remaining vertices let
/// D(G) be GroupBound's least joint cost (so Σ_{v∈G} c_v ≥ D(G) in every completion) and
/// gain(G) = D(G) − Σ_{v∈G} term(v). For weights w_G ≥ 0 with Σ_{G ∋ v} w_G ≤ 1 for every v,
///
///     h(S) + Σ_G w_G · gain(G)
///
/// never exceeds the cheapest cost of eliminating the rest. A disjoint packing is the case of
/// weights 0 and 1, so the best weights (the linear program below) give at least the best packing.
///
/// Proof. Let s_v = 1 − Σ_{G ∋ v} w_G ≥ 0 (the share of v in no group; singletons {v} with
/// D({v}) = term(v)). Every remaining v has Σ_{G ∋ v} w_G + s_v = 1, so
///
///     Σ_v c_v = Σ_G w_G Σ_{v∈G} c_v + Σ_v s_v c_v ≥ Σ_G w_G D(G) + Σ_v s_v term(v)
///             = Σ_v term(v) + Σ_G w_G (D(G) − Σ_{v∈G} term(v)) = h(S) + Σ_G w_G gain(G),
///
/// using c_v ≥ term(v) (CutBound) and w_G, s_v ≥ 0. Costs are integers, so the floor counts too.
///
/// The best weights solve the packing LP max Σ w_G gain(G) s.t. Σ_{G∋v} w_G ≤ 1, w ≥ 0 (its dual:
/// per-vertex charges y_v ≥ 0, min Σ y_v with Σ_{v∈G} y_v ≥ gain(G) for every candidate). The
/// solver's floating-point answer is never trusted as it is: `rounded` turns it into integer
/// weights k_G over a common denominator Q and checks Σ_{G∋v} k_G ≤ Q for every v in exact integer
/// arithmetic (repairing any row the rounding broke), so what is claimed is the exact value of
/// exactly feasible weights, floored: a solver error can only make the bound weaker, never invalid.
struct FractionalPacking: Equatable {
    /// Groups with a positive weight: members (vertex ids, ascending), gain, and weight numerator.
    var groups: [Weighted]
    /// The common denominator of the weights (1 for a disjoint packing).
    var denominator: Int
    /// ⌊Σ weight · gain / denominator⌋: what the packing adds to h(S).
    var gain: Int

    struct Weighted: Equatable {
        var members: [Int]
        var gain: Int
        var weight: Int
    }

    /// The packing LP for a solver: one column w_G ∈ [0, 1] per candidate, objective −gain(G)
    /// (solvers minimise), one row Σ_{G∋v} w_G ≤ 1 per vertex in some candidate. Pure.
    static func model(_ candidates: [(gain: Int, members: [Int])], vertexCount n: Int) -> MixedIntegerModel {
        var model = MixedIntegerModel()
        var containing = [[Int]](repeating: [], count: n + 1)
        for (c, candidate) in candidates.enumerated() {
            _ = model.addColumn(lower: 0, upper: 1, objective: -Double(candidate.gain))
            for v in candidate.members { containing[v].append(c) }
        }
        for v in 1...max(n, 1) where v <= n && !containing[v].isEmpty {
            model.addRow(
                MixedIntegerModel.Affine(constant: 0, terms: containing[v].map { ($0, 1) }), lower: -.infinity,
                upper: 1)
        }
        return model
    }

    /// Denominators tried by `rounded`: small ones catch a vertex solution's exact fractions
    /// (halves, thirds, …), the large ones approximate anything else from below.
    static let denominators = [1, 2, 3, 4, 5, 6, 8, 10, 12, 60, 420, 840, 27_720, 720_720, 1 << 24]

    /// Exactly feasible integer weights from approximate ones (`weights[c]` for candidate c): for each
    /// denominator Q, k_c = ⌊w_c·Q + 10⁻⁶⌋ clamped to [0, Q], then every overfull vertex row is repaired
    /// by lowering the weights of its groups of least gain; the best floored value counts.
    static func rounded(
        _ candidates: [(gain: Int, members: [Int])], vertexCount n: Int, weights: [Double]
    ) -> FractionalPacking {
        precondition(weights.count == candidates.count, "one weight per candidate")
        var best = FractionalPacking(groups: [], denominator: 1, gain: 0)
        let support = candidates.indices.filter { weights[$0] > 1e-9 && candidates[$0].gain > 0 }
        for q in denominators {
            var k = [Int](repeating: 0, count: candidates.count)
            var load = [Int](repeating: 0, count: n + 1)
            for c in support {
                let scaled = weights[c] * Double(q) + 1e-6
                k[c] = scaled >= Double(q) ? q : max(0, Int(scaled.rounded(.down)))
                for v in candidates[c].members { load[v] += k[c] }
            }
            // Repair: an overfull vertex lowers its groups, least gain first, until it fits.
            for v in 1...max(n, 1) where v <= n && load[v] > q {
                let mine = support.filter { k[$0] > 0 && candidates[$0].members.contains(v) }
                    .sorted { candidates[$0].gain < candidates[$1].gain }
                for c in mine where load[v] > q {
                    let cut = min(k[c], load[v] - q)
                    k[c] -= cut
                    for u in candidates[c].members { load[u] -= cut }
                }
            }
            var total = 0
            for c in support where k[c] > 0 { total += k[c] * candidates[c].gain }
            let gain = total / q
            if gain > best.gain {
                best = FractionalPacking(
                    groups: support.filter { k[$0] > 0 }.map {
                        Weighted(members: candidates[$0].members, gain: candidates[$0].gain, weight: k[$0])
                    }, denominator: q, gain: gain)
            }
        }
        return best
    }

    /// Whether the weights are a fractional packing: nonnegative, and every vertex's groups weigh
    /// at most the denominator together (exact integers).
    var isFeasible: Bool {
        var load: [Int: Int] = [:]
        for group in groups {
            if group.weight < 0 { return false }
            for v in group.members { load[v, default: 0] += group.weight }
        }
        return denominator > 0 && load.values.allSatisfy { $0 <= denominator }
    }
}
