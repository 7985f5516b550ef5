/// Scalar vertex elimination as a mixed-integer program (our formulation), built as plain arrays
/// (MixedIntegerModel) so that it can be checked without a solver; CbcSolver solves it.
///
/// Facts it rests on (ScalarGraph, SetGraph). Let t(v) be v's position in the order and t = ∞ for
/// the fixed nodes (inputs, outputs). When v goes, its predecessors are the remaining nodes p with a
/// path p → … → v through eliminated vertices only, and likewise its successors; v costs
/// |predecessors|·|successors|. Call (p, x) *ever joined* when a path p → … → x exists whose
/// interior vertices all go before both p and x. Then p is a predecessor of v when v goes iff
/// (p, v) is ever joined and t(v) < t(p) (the interior goes before v, p after), and the cost of the
/// order is the number of triples (p, v, s) with both (p, v) and (v, s) ever joined and v before p
/// and s. Ever joined is the least relation that holds on the original edges and is closed under
/// the fill step: (p, w) and (w, s) joined with w before p and s ⇒ (p, s) joined (induction on the
/// latest interior vertex of the path; this triple is exactly the multiplication p → w → s).
/// Only the relative order of *comparable* nodes (one an ancestor of the other) enters: the
/// interior of a path from p to s is comparable with both.
///
/// Variables (ids are nodes as in ScalarGraph: inputs 0..<I, vertex v is I + v − 1):
/// - y(a, b) ∈ {0, 1} for comparable eliminable a < b: 1 when a goes before b (the only integers);
/// - A(p, x) ∈ [0, 1], p an ancestor of x, not both fixed: ever joined (1 on original edges);
/// - u(p, w) ≥ A(p, w) + [w before p] − 1 (p is a predecessor of w when w goes), o(w, s) likewise;
/// - z(p, w, s) ≥ u(p, w) + o(w, s) − 1, the multiplication; the objective is Σ z;
/// - A(p, s) ≥ z(p, w, s) (the fill step);
/// - τ(v) ∈ [0, n − 1] with τ(b) ≥ τ(a) + 1 − n·(1 − y(a, b)) and the reverse (no cycle in y).
///
/// Why the optimum is the optimal cost. (≤) Any order gives a point: y from the order, A, u, o, z at
/// their true values (`point(for:)`; the tests check that it is feasible and that its objective is
/// the order's cost). (≥) For integral y, the rows for τ make y acyclic, so it extends to an order
/// of all vertices that agrees with y on every comparable pair; by induction along the fill steps
/// every true A, u, o, z is forced to 1, so the objective is at least that order's cost. Only y
/// needs to be integral: A, u, o and z are continuous.
///
/// Rows that only strengthen the relaxation (valid for every such point):
/// - Σ_p u(p, w) ≥ λ_in(w) and Σ_s o(w, s) ≥ λ_out(w) (CutBound at the start: Menger);
/// - Σ_{p,s} z(p, w, s) ≥ λ_out(w)·U + λ_in(w)·O − λ_in(w)·λ_out(w) with U = Σ_p u(p, w),
///   O = Σ_s o(w, s): at a point, Σ z = U·O and (U − λ_in)(O − λ_out) ≥ 0 (McCormick);
/// - for comparable eliminable a, v, with λ'_in, λ'_out CutBound's λ's of v with a shareable (valid
///   once a is gone): Σ_p u(p, v) ≥ λ_in(v) + (λ'_in − λ_in)·[a before v], the same for O and for
///   Σ z with the products: the order variables move the bound (each row holds at both values of y);
/// - Σ z ≥ the start bound (OptimalOrderSearch.startBound: it bounds every order's cost);
/// - for each group G of the start GroupBound: Σ_{w ∈ G} Σ z(·, w, ·) ≥ D(G) (GroupBound's claim);
/// - optionally y(a, b) + y(b, c) − y(a, c) ≤ 1 and y(a, c) − y(a, b) − y(b, c) ≤ 0 on chains a < b < c
///   of pairwise comparable eliminable vertices (transitivity).
struct EliminationProgram {
    let graph: ScalarGraph
    private(set) var model = MixedIntegerModel()
    /// Columns by key: y by a·N + b; A, u by p·N + x; o by w·N + s; z by (p·N + w)·N + s; τ by node.
    private(set) var orderColumns: [Int: Int] = [:]
    private var joinedColumns: [Int: Int] = [:]
    private var predecessorColumns: [Int: Int] = [:]
    private var successorColumns: [Int: Int] = [:]
    private var productColumns: [Int: Int] = [:]
    private var positionColumns: [Int: Int] = [:]
    /// Triples (p, w, s) whose z is the constant 1 (both factors fixed), in the objective's offset.
    private(set) var constantProducts = 0

    struct Strengthening {
        /// λ_in(v), λ_out(v) at the start (index v − 1); empty: no cut rows.
        var lambdaIn: [Int] = []
        var lambdaOut: [Int] = []
        /// A lower bound on the whole cost (the start bound): one row Σ z ≥ it.
        var total = 0
        /// Groups of vertex ids with D(G), their least joint cost (GroupBound); each row holds
        /// alone, so the groups may overlap.
        var groups: [(members: [Int], cost: Int)] = []
        /// (v, a, λ_in, λ_out): v's λ's when a goes before v (CutBound with a shareable).
        var conditional: [(vertex: Int, before: Int, lambdaIn: Int, lambdaOut: Int)] = []
        var transitivity = false
    }

    init(graph: ScalarGraph, strengthening: Strengthening = Strengthening()) {
        self.graph = graph
        let N = graph.nodeCount, I = graph.inputCount, n = graph.vertexCount
        func isAncestor(_ p: Int, _ x: Int) -> Bool {
            graph.ancestors[x * graph.words + p >> 6] & (1 << UInt64(p & 63)) != 0
        }
        let eliminable = (I..<N).filter { !graph.isFixed[$0] }
        var original = Set<Int>()
        for v in stride(from: 1, through: n, by: 1) {
            for p in graph.predecessors[v - 1] { original.insert(p * N + graph.node(ofVertex: v)) }
        }
        // y and τ.
        for (i, a) in eliminable.enumerated() {
            for b in eliminable[(i + 1)...] where isAncestor(a, b) {
                orderColumns[a * N + b] = model.addColumn(lower: 0, upper: 1, integer: true)
            }
        }
        let span = Double(max(eliminable.count, 1))
        for a in eliminable { positionColumns[a] = model.addColumn(lower: 0, upper: span - 1) }
        for (key, y) in orderColumns.sorted(by: { $0.key < $1.key }) {
            let a = key / N, b = key % N
            let ta = Affine.variable(positionColumns[a]!), tb = Affine.variable(positionColumns[b]!)
            let yab = Affine.variable(y)
            model.addRow(tb - ta - yab.scaled(span), atLeast: 1 - span)
            model.addRow(ta - tb + yab.scaled(span), atLeast: 1)
        }
        if strengthening.transitivity {
            for a in eliminable {
                for b in eliminable where b > a && orderColumns[a * N + b] != nil {
                    for c in eliminable where c > b && orderColumns[b * N + c] != nil {
                        let ab = Affine.variable(orderColumns[a * N + b]!),
                            bc = Affine.variable(orderColumns[b * N + c]!)
                        let ac = Affine.variable(orderColumns[a * N + c]!)
                        model.addRow(ab + bc - ac, lower: -.infinity, upper: 1)
                        model.addRow(ac - ab - bc, lower: -.infinity, upper: 0)
                    }
                }
            }
        }
        // The multiplications around each eliminable w.
        for w in eliminable {
            let ancestors = (0..<w).filter { isAncestor($0, w) }
            let descendants = ((w + 1)..<N).filter { isAncestor(w, $0) }
            var predecessorSum = Affine.constant(0), successorSum = Affine.constant(0)
            var us: [Affine] = [], os: [Affine] = []
            for p in ancestors {
                let u = indicator(
                    key: p * N + w, in: \.predecessorColumns, joined: joined(p, w, original), before: before(w, p))
                us.append(u)
                predecessorSum = predecessorSum + u
            }
            for s in descendants {
                let o = indicator(
                    key: w * N + s, in: \.successorColumns, joined: joined(w, s, original), before: before(w, s))
                os.append(o)
                successorSum = successorSum + o
            }
            var cost = Affine.constant(0)
            for (i, p) in ancestors.enumerated() {
                for (j, s) in descendants.enumerated() {
                    let z: Affine
                    if us[i].isConstant && os[j].isConstant {
                        // Both factors are 1 in every order (an original edge from or to a fixed node).
                        z = .constant(us[i].constant * os[j].constant)
                        constantProducts += Int(z.constant)
                        model.objectiveOffset += z.constant
                    } else {
                        let column = model.addColumn(lower: 0, upper: 1, objective: 1)
                        productColumns[(p * N + w) * N + s] = column
                        z = .variable(column)
                        model.addRow(z - us[i] - os[j], atLeast: -1)
                    }
                    cost = cost + z
                    if !(graph.isFixed[p] && graph.isFixed[s]) && !original.contains(p * N + s) {
                        let a = joinedColumn(p, s)
                        if z.isConstant {
                            model.raiseLower(a, to: z.constant)
                        } else {
                            model.addRow(.variable(a) - z, atLeast: 0)
                        }
                    }
                }
            }
            let v = w - I + 1
            if !strengthening.lambdaIn.isEmpty {
                let lin = Double(strengthening.lambdaIn[v - 1]), lout = Double(strengthening.lambdaOut[v - 1])
                model.addRow(predecessorSum, atLeast: lin)
                model.addRow(successorSum, atLeast: lout)
                model.addRow(cost - predecessorSum.scaled(lout) - successorSum.scaled(lin), atLeast: -lin * lout)
            }
            costs[v] = cost
            sums[v] = (predecessorSum, successorSum)
        }
        if !strengthening.lambdaIn.isEmpty {
            for (v, a, lin, lout) in strengthening.conditional {
                let baseIn = strengthening.lambdaIn[v - 1], baseOut = strengthening.lambdaOut[v - 1]
                let first = before(graph.node(ofVertex: a), graph.node(ofVertex: v))
                let (predecessorSum, successorSum) = sums[v]!
                if lin > baseIn {
                    model.addRow(predecessorSum - first.scaled(Double(lin - baseIn)), atLeast: Double(baseIn))
                }
                if lout > baseOut {
                    model.addRow(successorSum - first.scaled(Double(lout - baseOut)), atLeast: Double(baseOut))
                }
                if lin * lout > baseIn * baseOut {
                    model.addRow(
                        costs[v]! - first.scaled(Double(lin * lout - baseIn * baseOut)),
                        atLeast: Double(baseIn * baseOut))
                }
            }
        }
        if strengthening.total > 0 {
            model.addRow(costs.values.reduce(Affine.constant(0), +), atLeast: Double(strengthening.total))
        }
        for group in strengthening.groups {
            let total = group.members.reduce(Affine.constant(0)) { $0 + (costs[$1] ?? .constant(0)) }
            model.addRow(total, atLeast: Double(group.cost))
        }
        costs = [:]
        sums = [:]
    }

    /// Σ z, Σ u and Σ o of each vertex while building (for the group and conditional rows).
    private var costs: [Int: Affine] = [:]
    private var sums: [Int: (Affine, Affine)] = [:]

    private typealias Affine = MixedIntegerModel.Affine

    /// [a goes before b] for eliminable a and a node b comparable with it.
    private func before(_ a: Int, _ b: Int) -> Affine {
        let N = graph.nodeCount
        if graph.isFixed[b] { return .constant(1) }
        if a < b { return .variable(orderColumns[a * N + b]!) }
        return .constant(1) - .variable(orderColumns[b * N + a]!)
    }

    private mutating func joinedColumn(_ p: Int, _ x: Int) -> Int {
        let key = p * graph.nodeCount + x
        if let j = joinedColumns[key] { return j }
        let j = model.addColumn(lower: 0, upper: 1)
        joinedColumns[key] = j
        return j
    }

    /// A(p, x): 1 on original edges, else its column.
    private mutating func joined(_ p: Int, _ x: Int, _ original: Set<Int>) -> Affine {
        original.contains(p * graph.nodeCount + x) ? .constant(1) : .variable(joinedColumn(p, x))
    }

    /// u or o: the constant 1 when both joined and before are 1 for every order, else a column
    /// with the row column ≥ joined + before − 1.
    private mutating func indicator(
        key: Int, in table: WritableKeyPath<EliminationProgram, [Int: Int]>, joined: Affine, before: Affine
    ) -> Affine {
        if joined.isConstant && before.isConstant { return .constant(max(0, joined.constant + before.constant - 1)) }
        let column = model.addColumn(lower: 0, upper: 1)
        self[keyPath: table][key] = column
        model.addRow(.variable(column) - joined - before, atLeast: -1)
        return .variable(column)
    }

    /// The point of an order (a permutation of the eliminable vertex ids): y, τ and every A, u, o, z
    /// at its true value, by running the elimination on the ever-joined relation.
    func point(for order: [Int]) -> [Double] {
        let N = graph.nodeCount
        var x = [Double](repeating: 0, count: model.columnCount)
        var position = [Int](repeating: Int.max, count: N)
        for (t, v) in order.enumerated() { position[graph.node(ofVertex: v)] = t }
        for (key, column) in orderColumns { x[column] = position[key / N] < position[key % N] ? 1 : 0 }
        for (node, column) in positionColumns { x[column] = Double(position[node]) }
        // The current graph: predecessor and successor sets of each node.
        var preds = [Set<Int>](repeating: [], count: N), succs = [Set<Int>](repeating: [], count: N)
        for v in stride(from: 1, through: graph.vertexCount, by: 1) {
            let w = graph.node(ofVertex: v)
            for p in graph.predecessors[v - 1] {
                preds[w].insert(p)
                succs[p].insert(w)
            }
        }
        func set(_ table: [Int: Int], _ key: Int) { if let j = table[key] { x[j] = 1 } }
        for v in order {
            let w = graph.node(ofVertex: v)
            for p in preds[w] {
                set(predecessorColumns, p * N + w)
                set(joinedColumns, p * N + w)
            }
            for s in succs[w] {
                set(successorColumns, w * N + s)
                set(joinedColumns, w * N + s)
            }
            for p in preds[w] {
                for s in succs[w] {
                    set(productColumns, (p * N + w) * N + s)
                    set(joinedColumns, p * N + s)
                    preds[s].insert(p)
                    succs[p].insert(s)
                }
            }
            for p in preds[w] { succs[p].remove(w) }
            for s in succs[w] { preds[s].remove(w) }
            preds[w] = []
            succs[w] = []
        }
        return x
    }

    /// An order from a solution: the eliminable vertices sorted so that every y(a, b) is respected
    /// (y rounded; ties by τ, then id). Any integral solution gives one (y is acyclic).
    func order(from solution: [Double]) -> [Int] {
        let N = graph.nodeCount, I = graph.inputCount
        let eliminable = (I..<N).filter { !graph.isFixed[$0] }
        var after = [Int: [Int]](), indegree = [Int: Int]()
        for a in eliminable { indegree[a] = 0 }
        for (key, column) in orderColumns {
            let (a, b) = (key / N, key % N)
            let (first, second) = solution[column] > 0.5 ? (a, b) : (b, a)
            after[first, default: []].append(second)
            indegree[second]! += 1
        }
        func rank(_ node: Int) -> (Double, Int) { (solution[positionColumns[node]!], node) }
        var ready = eliminable.filter { indegree[$0] == 0 }
        var out: [Int] = []
        while !ready.isEmpty {
            let next = ready.min { rank($0) < rank($1) }!
            ready.removeAll { $0 == next }
            out.append(next - I + 1)
            for b in after[next] ?? [] {
                indegree[b]! -= 1
                if indegree[b] == 0 { ready.append(b) }
            }
        }
        return out
    }

    /// The y values of an order (a start for the solver).
    func orderValues(for order: [Int]) -> [(column: Int, value: Double)] {
        let N = graph.nodeCount
        var position = [Int](repeating: Int.max, count: N)
        for (t, v) in order.enumerated() { position[graph.node(ofVertex: v)] = t }
        return orderColumns.sorted { $0.key < $1.key }.map {
            ($0.value, position[$0.key / N] < position[$0.key % N] ? 1 : 0)
        }
    }
}
