import Dispatch

/// A lower bound on the whole cost that couples the start groups' orders: a best-first branch and
/// bound over *precedences* between vertices of different groups ("u goes before v" or "v goes
/// before u"), each group's D(G) recomputed with the vertices known to go before its members
/// shareable.
///
/// Claim. Let S be the eliminated set, B1, …, Bm pairwise disjoint blocks of remaining vertices
/// (the start packing's groups and single vertices), and P a set of precedences (u, v): "u is
/// eliminated before v". For a member x of a block B let before_P(x) be the vertices that P's
/// transitive closure puts before x. Then every completion that respects P costs at least
///
///     L(P) = Σ_B D(B | P),   D(B | P) = min over orders b1, …, bk of B of
///                                Σ_i c(b_i, {b1, …, b_(i−1)} ∪ before_P(b1) ∪ … ∪ before_P(b_i))
///
/// (c(v, A) is CutBound's term with S ∪ A shareable, GroupBound's table with `before`), and for any
/// pair u, v the optimum is at least min(L(P ∪ {(u, v)}), L(P ∪ {(v, u)})) ≥ … : the smallest value
/// over the open leaves of any tree of such splits, started from P = ∅, is a lower bound on every
/// completion from S.
///
/// Proof. Take a completion respecting P; let B's vertices go in the order b1, …, bk, b_i at the
/// eliminated set T_i. T_i ⊇ S ∪ {b1, …, b_(i−1)}, and every vertex that P (hence its transitive
/// closure, since the completion is an order) puts before b_j with j ≤ i is gone before b_j, so
/// before b_i: T_i contains the whole shared set of the claim. CutBound's argument needs only that
/// the shared set lie in T_i, so b_i pays at least that term; summing over B gives at least the
/// sum for this order of B, hence D(B | P); the blocks are disjoint and every vertex pays ≥ 0, so
/// the costs add to at least L(P). Every completion puts u before v or v before u, so it respects
/// exactly one child of a split; by induction each completion respects exactly one open leaf of
/// the tree and costs at least that leaf's L, hence at least the smallest. A leaf whose P has a
/// cycle holds no completion and is dropped. With P = ∅ the blocks' D are the start bound's, so the
/// result is never below it. (The members of B itself may appear in before_P(b_i) only when P puts
/// them before b_i; D is a minimum over all orders of B, which includes the respecting ones, so
/// that stays valid.)
///
/// Known successors as path ends (`pathEnds`, bounds9). With after_P(x), the vertices P's closure
/// puts after x, a member b_i of B also has as path ends every vertex of after_P(b_i) and of
/// after_P(b_j) for the members b_j of B still to go, and those members themselves, and the
/// dynamic program follows only B's orders that P allows. Proof: in a completion respecting P,
/// b_j not yet gone when b_i goes means everything P puts after b_j is not gone either; so those
/// vertices lie outside T_i, which is all CutBound.disjointPaths' `remaining` needs; and the
/// completion orders B as P does. The split's argument above is unchanged. This is what lets a
/// split see fill-in: "v36 before v6" makes v36 share nothing but gives it v6 as a path end, and
/// gives v6 the shared v36, whose successors are path ends too while P keeps them after v6.
///
/// Candidate pairs (`focus`): by default the edges between different blocks at S; with a focus
/// (a set of vertices, e.g. the blocks where the best known order pays more than their share), every
/// related pair (one an ancestor of the other) of vertices in different blocks within `radius`
/// steps of the focus (in the graph after S, either direction): the split is spent where the bound
/// is slack, and on pairs that are not adjacent yet but become so by fill-in. Which pairs are split
/// decides only how strong the bound is, not whether it holds.
///
/// Why it can rise where better packings cannot: D(B) alone assumes nothing outside B is gone when
/// B's vertices go; a split tells one of the two blocks that a neighbour outside it is gone first,
/// and on each branch that block's members may share it (more disjoint paths, larger terms).
struct PrecedenceSplit {
    /// Workers that share the open leaves (`run`); 1: the calling thread alone.
    var threads = 1
    /// Most nodes of the tree evaluated (each evaluation re-solves the one block that changes).
    var nodeLimit: Int
    /// What the eliminated set S cost to reach (OptimalOrderSearch's forced vertices), added to every
    /// leaf's L(P): leaves, `upper` and the guides' orders are then all whole costs from the empty set.
    var base = 0
    /// Pairs tried exactly per split (strong branching): the best min of the two children wins.
    var candidates = 6
    /// Block values kept per generation of each worker's memo (GenerationalMemo): a key holds a
    /// block's known predecessors and successors per member (about 1.3 KB an entry on sir_rk2), so
    /// the memo stays near 0.25 GB a worker where it grew by about 3 MB a second of split there.
    var memoLimit = 100_000
    var deadline = Deadline.none
    /// Known successors as path ends (the type's doc); off: the predecessors alone (bounds7).
    var pathEnds = false
    /// Vertices around which the candidate pairs are drawn (nil: the edges between blocks).
    var focus: [Int]?
    /// Steps from the focus within which both vertices of a candidate pair lie.
    var radius = 1
    /// Pairs tried before every other candidate (e.g. those that close the best order's own leaf:
    /// OptimalOrderSearch's guided split); they need not be related or in the focus.
    var preferred: [(u: Int, v: Int)] = []
    /// A guide per open leaf (bounds10; nil: none): before the least open leaf is split, a good order
    /// respecting its precedences is found (LeafGuide, from `guideStart` and the parent's guide), and
    /// the fewest precedences along it (greedily) that lift the leaf to the best known cost
    /// (`closingChain`, around the blocks where the guide pays more than the leaf's D(B | P)) are
    /// the pairs that leaf and its descendants on the guide's side split first. A guide cheaper
    /// than the best known cost is a record (`record`): the target drops to its cost. Which pairs
    /// are split decides only how fast the bound rises, never whether it holds; a record is a
    /// real order, so the least open leaf capped by it is still a bound (`run`).
    var guide: LeafGuide?
    /// The order every guide starts from (the best known one).
    var guideStart: [Int] = []
    /// Told, before each step of `run`, the least open leaf's bound, the best known cost, the splits
    /// made and the open leaves (a status line; it must throttle itself).
    var progress: ((_ lower: Int, _ upper: Int, _ splits: Int, _ openLeaves: Int) -> Void)?
    /// The cheapest order a guide found below the `upper` given to the last `run`, with its cost.
    private(set) var record: (order: [Int], cost: Int)?
    /// Each guide of the last `run`: the leaf's depth (precedences) and bound, the guide's cost, and
    /// the vertices its thinned chain kept (0: no chain reached the target).
    private(set) var guideLog: [(depth: Int, bound: Int, cost: Int, kept: Int)] = []
    /// The open leaves when the last `run` stopped: depth and bound.
    private(set) var openLeaves: [(depth: Int, bound: Int)] = []
    /// Nodes evaluated and splits made by the last `run`.
    private(set) var evaluated = 0
    private(set) var splits = 0
    /// Whether the last `run` stopped at the deadline.
    private(set) var timedOut = false

    init(nodeLimit: Int) {
        self.nodeLimit = max(1, nodeLimit)
    }

    /// Transitive closure: the vertices a relation puts before x (`edges`: P's precedences into each
    /// vertex) or, with the edges out of each vertex, after it.
    static func closure(_ x: Int, _ edges: [Int: [Int]]) -> VertexSet {
        var seen = VertexSet(), stack = edges[x] ?? []
        while let u = stack.popLast() {
            if seen.contains(u) { continue }
            seen.insert(u)
            stack.append(contentsOf: edges[u] ?? [])
        }
        return seen
    }

    /// Steps from `focus` (index v; −1 beyond `radius`) in the graph after S, either direction.
    static func distances(from focus: [Int], radius: Int, _ sets: SetGraph) -> [Int] {
        let graph = sets.graph, n = graph.vertexCount, I = graph.inputCount
        var adjacency = [[Int]](repeating: [], count: n + 1)
        for x in 1...max(n, 1) where x <= n && sets.isRemaining(x) {
            for p in sets.predecessors(of: x) where p >= I {
                adjacency[x].append(p - I + 1)
                adjacency[p - I + 1].append(x)
            }
        }
        var distance = [Int](repeating: -1, count: n + 1)
        var frontier = focus.filter { $0 <= n && sets.isRemaining($0) }
        for x in frontier { distance[x] = 0 }
        for step in 0..<max(radius, 0) {
            var next: [Int] = []
            for x in frontier {
                for y in adjacency[x] where distance[y] < 0 {
                    distance[y] = step + 1
                    next.append(y)
                }
            }
            frontier = next
        }
        return distance
    }

    /// The first region, for r in `radii`, of the vertices within r steps of the focus (`distance(r)`,
    /// −1 beyond) whose chain in `order` (its vertices in `order`'s order, consecutive pairs) lifts
    /// `leaf` to `target`, thinned greedily: its vertices farthest first are dropped while the leaf
    /// stays at `target` or above. `untilClosed`: stop at the first region that closes or when the
    /// region stops growing (else every radius is probed). `leaf(region)` is the bound of the leaf
    /// with that chain added (nil: out of time). Which vertices are kept decides only which pairs a
    /// split tries first, never whether a bound holds.
    static func closingChain(
        order: [Int], radii: [Int], untilClosed: Bool, target: Int, deadline: Deadline,
        distance: (Int) -> [Int], leaf: ([Int]) -> Int?
    ) -> (probes: [(radius: Int, vertices: Int, bound: Int?)], kept: [Int]?) {
        var probes: [(radius: Int, vertices: Int, bound: Int?)] = []
        var closing: (region: [Int], distance: [Int])?
        var grown = -1
        for radius in radii {
            let steps = distance(radius)
            let region = order.filter { steps[$0] >= 0 }
            if untilClosed && (closing != nil || region.count == grown) { break }
            grown = region.count
            let value = leaf(region)
            probes.append((radius, region.count, value))
            if closing == nil, let value, value >= target { closing = (region, steps) }
        }
        guard let (region, steps) = closing else { return (probes, nil) }
        var kept = region
        // Farthest first, one distance at a time: the whole distance at once when the leaf stays at
        // the target without it (fewer precedences never raise a leaf, so dropping them one by one
        // would end in the same place), else one by one.
        for level in Set(region.map { steps[$0] }).sorted(by: >) {
            if deadline.passed() { break }
            let trial = kept.filter { steps[$0] != level }
            if trial.count < kept.count - 1, let value = leaf(trial), value >= target {
                kept = trial
                continue
            }
            for v in kept.filter({ steps[$0] == level }).sorted(by: >) {
                if deadline.passed() { break }
                let trial = kept.filter { $0 != v }
                if let value = leaf(trial), value >= target { kept = trial }
            }
        }
        return (probes, kept)
    }

    /// `base` + L(P) of one leaf: Σ over the blocks of D(B | P) for the precedences given (acyclic), with
    /// known successors as path ends when `pathEnds` is set; nil when the deadline passes. With a
    /// total order of every vertex as P and path ends, every term is exact, so L(P) is that order's
    /// cost when every vertex that pays is in a block (the tests check it): how far a split must go
    /// to close a gap.
    mutating func leaf(
        _ bounds: inout GroupBound, _ sets: SetGraph, blocks: [[Int]], precedences: [(u: Int, v: Int)]
    ) -> Int? {
        var incoming = [Int: [Int]](), outgoing = [Int: [Int]]()
        for p in precedences {
            incoming[p.v, default: []].append(p.u)
            outgoing[p.u, default: []].append(p.v)
        }
        var total = base
        for block in blocks {
            let before = block.map { Self.closure($0, incoming) }
            let after = pathEnds ? block.map { Self.closure($0, outgoing) } : nil
            guard let d = bounds.exactCost(block, sets.set, before: before, after: after) else {
                timedOut = true
                return nil
            }
            total += d
        }
        return total
    }

    /// The bound for the blocks given (each a group of GroupBound's packing at `sets`, or a single
    /// vertex), at most `upper` (nothing above the best known cost is needed). `bounds` must have
    /// evaluated `sets` (its cut terms are those of `sets`). Returns the least open leaf's total.
    ///
    /// With `threads` > 1 that many workers share the open leaves (SplitBoard): each takes the least
    /// leaf no other worker holds, guides or splits it with its own copy of `bounds` (the copies'
    /// caches are dropped at the end; the first worker uses `bounds` itself) and puts the leaf or its
    /// children back. Every leaf a worker holds stays among the open leaves until its children
    /// replace it, so the least open leaf is a bound at every moment, whoever splits what; only the
    /// order of the splits (and so how far the bound gets) depends on the timing. The deadline's clock
    /// must then be one every thread reads alike (wall, or the process's CPU time), and only the first
    /// worker reports progress. One worker runs on the calling thread: the steps of a single thread.
    mutating func run(_ bounds: inout GroupBound, _ sets: SetGraph, blocks: [[Int]], upper: Int) -> Int {
        evaluated = 0
        splits = 0
        timedOut = false
        record = nil
        guideLog = []
        openLeaves = []
        let n = bounds.cuts.graph.vertexCount
        var blockOf = [Int](repeating: -1, count: n + 1)
        for (b, block) in blocks.enumerated() { for v in block { blockOf[v] = b } }
        // Only a block's members and the vertices related to them change its D (GroupBound.relevant):
        // the memo keys on those, so a child whose new precedence reaches none of them hits the parent's.
        let relevant = blocks.map { bounds.relevant(to: $0) }
        var memo = SplitMemo(limit: memoLimit)
        let pathEnds = self.pathEnds
        func value(
            _ bounds: inout GroupBound, _ memo: inout SplitMemo, _ b: Int, _ before: [VertexSet],
            _ after: [VertexSet]?
        ) -> Int? {
            let before = before.map { $0.intersection(relevant[b]) }
            let after = after?.map { $0.intersection(relevant[b]) }
            var key = before + (after ?? [])
            key.append(VertexSet([b + 1]))
            if let known = memo.value(for: key) { return known }
            guard let cost = bounds.exactCost(blocks[b], sets.set, before: before, after: after) else { return nil }
            memo.remember(key, cost)
            return cost
        }
        // Candidate pairs, ranked by how much each direction raises the two vertices alone (the
        // smaller of the two directions: what a split surely buys there).
        let graph = bounds.cuts.graph, I = graph.inputCount
        func raise(_ x: Int, gone: Int?, there: Int?) -> Int? {
            guard blockOf[x] >= 0 else { return 0 }
            let before = [gone.map { VertexSet([$0]) } ?? VertexSet()]
            let after = pathEnds ? [there.map { VertexSet([$0]) } ?? VertexSet()] : nil
            guard after != nil || gone != nil else { return 0 }
            return bounds.exactCost([x], sets.set, before: before, after: after).map { $0 - bounds.cuts.terms[x - 1] }
        }
        var pairs: [(score: Int, distance: Int, u: Int, v: Int)] = []
        var candidatePairs: [(u: Int, v: Int, distance: Int)] = []
        if let focus {
            let distance = Self.distances(from: focus, radius: radius, sets)
            let region = (1...max(n, 1)).filter { $0 <= n && distance[$0] >= 0 && blockOf[$0] >= 0 }
            let W = graph.words
            for u in region {
                let x = graph.node(ofVertex: u)
                for v in region where v > u && blockOf[v] != blockOf[u] {
                    let y = graph.node(ofVertex: v)
                    guard graph.descendants[x * W + y >> 6] & (1 << UInt64(y & 63)) != 0 else { continue }
                    candidatePairs.append((u, v, distance[u] + distance[v]))
                }
            }
        } else {
            for v in 1...max(n, 1) where v <= n && blockOf[v] >= 0 {
                for x in sets.predecessors(of: v) where x >= I {
                    let u = x - I + 1
                    guard blockOf[u] >= 0, blockOf[u] != blockOf[v] else { continue }
                    candidatePairs.append((u, v, 0))
                }
            }
        }
        // Preferred pairs first (distance −1 ranks them ahead), each pair once.
        var preferredPairs = Set<[Int]>()
        for p in preferred where blockOf[p.u] >= 0 && blockOf[p.v] >= 0 && blockOf[p.u] != blockOf[p.v] {
            preferredPairs.insert([min(p.u, p.v), max(p.u, p.v)])
        }
        candidatePairs.removeAll { preferredPairs.contains([$0.u, $0.v]) }
        candidatePairs += preferredPairs.sorted { $0.lexicographicallyPrecedes($1) }.map { ($0[0], $0[1], -1) }
        for (u, v, distance) in candidatePairs {
            // "u before v": v shares u, u has v as a path end; "v before u" the mirror image.
            guard let vShares = raise(v, gone: u, there: nil), let uEnds = raise(u, gone: nil, there: v),
                let uShares = raise(u, gone: v, there: nil), let vEnds = raise(v, gone: nil, there: u)
            else {
                timedOut = true
                return 0
            }
            let score = pathEnds ? min(vShares + uEnds, uShares + vEnds) : min(vShares, uShares)
            pairs.append((score, distance, u, v))
        }
        pairs.sort {
            if ($0.distance < 0) != ($1.distance < 0) { return $0.distance < 0 }
            return ($0.score, -$0.distance) != ($1.score, -$1.distance)
                ? ($0.score, -$0.distance) > ($1.score, -$1.distance) : ($0.u, $0.v) < ($1.u, $1.v)
        }
        var rootValues: [Int] = []
        for b in blocks.indices {
            let none = blocks[b].map { _ in VertexSet() }
            guard let d = value(&bounds, &memo, b, none, pathEnds ? none : nil) else {
                timedOut = true
                return 0
            }
            rootValues.append(d)
        }
        let board = SplitBoard(
            root: Node(precedences: [], values: rootValues, total: base + rootValues.reduce(0, +)), upper: upper)
        let closure = Self.closure
        let base = self.base, candidates = self.candidates, nodeLimit = self.nodeLimit
        let guide = self.guide, guideStart = self.guideStart, progress = self.progress

        // One worker: take the least free leaf, guide or split it, put it or its children back, until
        // the board is done. `main`: the worker that reports progress.
        func work(_ bounds: inout GroupBound, _ memo: inout SplitMemo, deadline: Deadline, main: Bool) {
            var evaluated = 0
            // The child with (u, v) added: the blocks whose closures change are re-solved, the others
            // keep their D; nil when out of time; Int.max when P gets a cycle (no completion).
            func child(_ node: Node, _ u: Int, _ v: Int) -> Node? {
                var precedences = node.precedences
                precedences.append((u, v))
                var incoming = [Int: [Int]](), outgoing = [Int: [Int]]()
                for p in precedences {
                    incoming[p.v, default: []].append(p.u)
                    outgoing[p.u, default: []].append(p.v)
                }
                if closure(u, incoming).contains(u) {
                    return Node(precedences: precedences, values: node.values, total: Int.max)
                }
                // Every closure the new precedence changes now holds u (before) or v (after); memo:
                // unchanged blocks are hits.
                var values = node.values
                for b in blocks.indices {
                    let before = blocks[b].map { closure($0, incoming) }
                    let after = pathEnds ? blocks[b].map { closure($0, outgoing) } : nil
                    guard
                        before.contains(where: { $0.contains(u) }) || after?.contains(where: { $0.contains(v) }) == true
                    else { continue }
                    guard let d = value(&bounds, &memo, b, before, after) else { return nil }
                    values[b] = d
                }
                evaluated += 1
                var out = Node(
                    precedences: precedences, values: values, total: base + values.reduce(0, +), hint: node.hint)
                if let guide = node.guide {
                    // The side the guide respects keeps it and its chain; the other starts from it.
                    if guide.firstIndex(of: u)! < guide.firstIndex(of: v)! {
                        out.guide = guide
                        out.chain = node.chain
                    } else {
                        out.hint = guide
                    }
                }
                return out
            }
            // L(P) of a leaf by the memo (the blocks whose closures P leaves as they were are hits).
            func leafTotal(_ precedences: [(u: Int, v: Int)]) -> Int? {
                var incoming = [Int: [Int]](), outgoing = [Int: [Int]]()
                for p in precedences {
                    incoming[p.v, default: []].append(p.u)
                    outgoing[p.u, default: []].append(p.v)
                }
                var total = base
                for b in blocks.indices {
                    let before = blocks[b].map { closure($0, incoming) }
                    let after = pathEnds ? blocks[b].map { closure($0, outgoing) } : nil
                    guard let d = value(&bounds, &memo, b, before, after) else { return nil }
                    total += d
                }
                return total
            }
            func chain(_ region: [Int]) -> [(u: Int, v: Int)] { zip(region, region.dropFirst()).map { (u: $0, v: $1) } }
            while true {
                guard
                    let (id, leaf, upperNow) = board.take(
                        nodeLimit: nodeLimit, deadline: deadline,
                        progress: main ? progress : nil)
                else { return }
                var node = leaf, upper = upperNow
                if let guide, node.chain == nil {
                    node.chain = []
                    var found: (order: [Int], cost: Int)?
                    var logged: (depth: Int, bound: Int, cost: Int, kept: Int)?
                    let starts = [node.hint, guideStart].compactMap { $0 }.filter { !$0.isEmpty }
                    if let guided = guide.order(respecting: node.precedences, from: starts) {
                        if guided.cost < upper {
                            upper = guided.cost
                            found = (guided.order, guided.cost)
                        }
                        // Around the blocks where the guide pays more than this leaf's D(B | P).
                        var paid = [Int](repeating: 0, count: n + 1)
                        for (k, v) in guided.order.enumerated() { paid[v] = guided.steps[k] }
                        let slack = blocks.indices.filter { b in blocks[b].reduce(0) { $0 + paid[$1] } > node.values[b]
                        }
                        let focus = slack.flatMap { blocks[$0] }
                        let known = node.precedences
                        var kept =
                            Self.closingChain(
                                order: guided.order, radii: Array(0...n), untilClosed: true, target: upper,
                                deadline: deadline,
                                distance: { Self.distances(from: focus, radius: $0, sets) },
                                leaf: { leafTotal(known + chain($0)) }
                            ).kept
                        if kept == nil, let whole = leafTotal(known + chain(guided.order)), whole >= upper {
                            kept = guided.order
                        }
                        node.guide = guided.order
                        node.chain = chain(kept ?? [])
                        logged = (known.count, node.total, guided.cost, kept?.count ?? 0)
                    }
                    board.guided(id, node, record: found, log: logged, timedOut: deadline.passed())
                    continue
                }
                // Pairs whose order P already implies (its closure) split into the node and a cycle.
                var outgoing = [Int: [Int]]()
                for p in node.precedences { outgoing[p.u, default: []].append(p.v) }
                var after = [Int: VertexSet]()
                func ordered(_ u: Int, _ v: Int) -> Bool {
                    for (x, y) in [(u, v), (v, u)] {
                        if after[x] == nil { after[x] = closure(x, outgoing) }
                        if after[x]!.contains(y) { return true }
                    }
                    return false
                }
                var best: (Node, Node)?
                var tried = 0, outOfTime = false
                let chainPairs = (node.chain ?? []).map { (score: 0, distance: -2, u: $0.u, v: $0.v) }
                for pair in chainPairs + pairs where tried < candidates && !ordered(pair.u, pair.v) {
                    tried += 1
                    guard let a = child(node, pair.u, pair.v), let b = child(node, pair.v, pair.u) else {
                        outOfTime = true
                        break
                    }
                    if best == nil || min(a.total, b.total) > min(best!.0.total, best!.1.total) { best = (a, b) }
                }
                // Out of time, or no pair left to split (this leaf's bound is final): the board is done.
                board.split(
                    id, into: outOfTime ? nil : best.map { [$0.0, $0.1] }, evaluated: evaluated, timedOut: outOfTime)
                evaluated = 0
            }
        }

        if threads <= 1 {
            work(&bounds, &memo, deadline: deadline, main: true)
        } else {
            // The other workers' deadline has no tick: only the first reports.
            let quiet = Deadline(clock: deadline.clock, at: deadline.at)
            var copies = [GroupBound](repeating: bounds, count: threads - 1)
            for k in copies.indices { copies[k].deadline = quiet }
            var memos = [SplitMemo](repeating: memo, count: threads - 1)
            let deadline = self.deadline
            withUnsafeMutablePointer(to: &bounds) { first in
                withUnsafeMutablePointer(to: &memo) { firstMemo in
                    copies.withUnsafeMutableBufferPointer { others in
                        memos.withUnsafeMutableBufferPointer { otherMemos in
                            let slots = SplitWorkers(
                                first: first, firstMemo: firstMemo, others: others, otherMemos: otherMemos)
                            DispatchQueue.concurrentPerform(iterations: threads) { k in
                                if k == 0 {
                                    work(&slots.first.pointee, &slots.firstMemo.pointee, deadline: deadline, main: true)
                                } else {
                                    work(&slots.others[k - 1], &slots.otherMemos[k - 1], deadline: quiet, main: false)
                                }
                            }
                        }
                    }
                }
            }
        }
        let (value, leaves) = board.finish()
        evaluated = board.evaluated
        splits = board.splits
        timedOut = timedOut || board.timedOut
        record = board.record
        guideLog = board.guideLog
        openLeaves = leaves
        return value
    }

    struct Node {
        var precedences: [(u: Int, v: Int)]
        /// D(B | P) of every block (index as `blocks`).
        var values: [Int]
        var total: Int
        /// This leaf's guide order and the pairs of its thinned chain (nil: not guided yet).
        var guide: [Int]? = nil
        var chain: [(u: Int, v: Int)]? = nil
        /// The nearest ancestor's guide (a start for this leaf's own).
        var hint: [Int]? = nil
    }
}

/// A block's D(B | P) by (its members' known predecessors, their known successors, the block).
typealias SplitMemo = GenerationalMemo<HashedStore<[VertexSet], Int>>

/// The workers' own state (each slot written by one worker only).
private struct SplitWorkers: @unchecked Sendable {
    let first: UnsafeMutablePointer<GroupBound>
    let firstMemo: UnsafeMutablePointer<SplitMemo>
    let others: UnsafeMutableBufferPointer<GroupBound>
    let otherMemos: UnsafeMutableBufferPointer<SplitMemo>
}
