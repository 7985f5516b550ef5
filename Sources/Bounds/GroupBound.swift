/// CutBound's lower bound raised by small groups of adjacent vertices, each solved exactly over its
/// own orders (the pair terms are the case of groups of two).
///
/// Claim. Let S be the eliminated set, G a set of remaining eliminable vertices, and for A ⊆ G and
/// v ∈ G ∖ A let c(v, A) = λ_in(v)·λ_out(v) computed with the vertices of S ∪ A shareable and the
/// other members of G, G ∖ A ∖ {v}, as path ends like the fixed nodes (CutBound.disjointPaths'
/// `remaining`: they are still there when v goes). Every order pays for the vertices of G
/// together at least
///
///     D(G) = min over orders g1, …, gk of G of  Σ_i c(g_i, {g1, …, g_(i−1)})
///
/// (a dynamic program over the subsets of G), and for pairwise disjoint groups G1, …, Gm
///
///     h(S) + Σ_j (D(G_j) − Σ over v ∈ G_j of term(v))
///
/// never exceeds the cheapest cost of eliminating the rest.
///
/// Proof. In any completion, let G's vertices go in the order g1, …, gk, g_i at the eliminated set
/// T_i. Then T_i ⊇ S ∪ {g1, …, g_(i−1)} and T_i ∌ g_(i+1), …, g_k, and CutBound's argument (which
/// needs only that the set whose vertices are shared is contained in T_i, and, with path ends that
/// are still there, that those are outside T_i: CutBound.disjointPaths) bounds g_i's cost by
/// c(g_i, {g1, …, g_(i−1)}).
/// Summing over G gives at least the sum for this order, hence at least D(G). Distinct groups and
/// the vertices in no group (each at least its term, D of a singleton) cover distinct vertices,
/// whose costs add. Which groups are chosen only decides how strong the bound is, not whether it
/// holds: candidates are the connected sets of at most `maxSize` vertices of the graph after S,
/// packed greedily by gain and improved by swaps, then merged (two adjacent groups, or three where
/// no two gain: `merge`). Admissible but not consistent (like the pairs).
/// With a `relaxation` (an LP solver), the candidates and merged groups are also packed
/// fractionally (FractionalPacking, proof there) and the better of the two packings counts.
///
/// Budget: when `deadline` passes, the enumeration, the packings and the merging stop where they
/// are and the best packing of the groups solved so far counts (`timedOut` is set). That is still
/// a packing of disjoint groups, each with its exact D(G), so the bound stays valid, only weaker.
struct GroupBound {
    private(set) var cuts: CutBound
    /// Largest group solved exactly (2^k·k cut pairs per group at most).
    let maxSize: Int
    /// Largest group formed by merging adjacent packed groups (and single vertices) when the merged
    /// group's exact cost gains more than the two did apart; ≤ maxSize: no merging; at most 20
    /// (a table of 2^20 entries; the proof holds for any size).
    let mergeSize: Int
    /// Most adjacent groups merged at once, tried only when no fewer gain (2: pairs only, bounds6's
    /// merge; 3: also a group with two neighbours, session 37).
    let mergeParts: Int
    /// Packings tried (0: candidates in canonical order; r > 0: ties broken by a fixed
    /// permutation r); the best total counts. Every packing is valid, so the maximum is too.
    let restarts: Int
    /// Whether a member's term treats the group's members still to go as path ends (the claim's
    /// c(v, A)). Off (the default): the plain terms with S ∪ A shareable only, weaker and cheaper
    /// (more cache hits), equally valid: fewer path ends never raise λ.
    var remainingEnds = false
    /// When to stop early (see the type's doc); none by default.
    var deadline = Deadline.none
    /// A linear-program solver (a model's relaxation → column values, nil if not solved; e.g.
    /// CbcSolver.solveRelaxation). When set, `evaluate` also packs every candidate and merged group
    /// fractionally (FractionalPacking) and counts the better of the two packings. Nil: disjoint only.
    var relaxation: ((MixedIntegerModel) -> [Double]?)?
    /// The fractional packing of the last `evaluate` (nil without `relaxation`, when the deadline
    /// passed first, or when the solver failed).
    private(set) var fractional: FractionalPacking?
    /// Whether the last `evaluate` stopped at the deadline.
    private(set) var timedOut = false
    /// Groups whose D(G) was solved by the last `evaluate` (candidates and merges).
    private(set) var groupsSolved = 0
    /// Member factors computed by a flow (not found in the memo or the cache), over this value's
    /// life: what the exact tables cost.
    private(set) var factorFlows = 0
    /// Subsets of a group settled by the exact tables' dynamic program, over this value's life.
    private(set) var masksSettled = 0
    /// The groups (members, ascending) of the best packing of the last `evaluate`.
    private(set) var packing: [[Int]] = []
    /// Gains of merged groups already solved at this set (merge, across restarts).
    private var mergedGain: [[Int]: Int] = [:]
    /// Member terms' factors (λ_in, λ_out) by (vertex, side, that side's shared vertices and path
    /// ends), for the set S of the last `evaluate`, in two generations of at most `cacheLimit`
    /// entries (GenerationalMemo): the start groups and the precedence split run at one set for the
    /// whole budget, and each split re-solves blocks with new known predecessors and successors, so
    /// without a limit the cache grew to 14 GB in a ten-minute bound of arrhenius_network_rk2, with
    /// it 0.83 GB in all (Docs/RESULTS.md "(bounds22)").
    /// A key is v, the side (λ_in: `upstream`), and the shared vertices and path ends among v's
    /// ancestors only (λ_in) or its descendants only (λ_out).
    private var factors = GenerationalMemo<FactorCache>(limit: 1_500_000)
    /// The exact tables' memo index compression, by side pattern.
    private var compression = MaskCompression()
    /// Factors kept per generation of `factors`.
    var cacheLimit: Int {
        get { factors.limit }
        set { factors.limit = newValue }
    }
    /// Entries both generations hold now (≤ 2·cacheLimit).
    var cachedTerms: Int { factors.count }
    /// Vertices related to each vertex (ancestors or descendants, index v − 1): only those change
    /// its cuts when shared.
    private let related: [VertexSet]
    /// Each vertex's ancestors and descendants among the vertices (index v − 1): λ_in's paths run
    /// through the ancestors only and λ_out's through the descendants only (CutBound.disjointPaths'
    /// region), so each factor depends on its own side of the shared set and path ends alone.
    private let ancestors: [VertexSet], descendants: [VertexSet]

    init(graph: ScalarGraph, maxSize: Int, mergeSize: Int = 0, mergeParts: Int = 2, restarts: Int = 1) {
        precondition(graph.hasReachTables, "\(graph.spec.name): GroupBound needs the reach tables (forSetSearch)")
        cuts = CutBound(graph: graph)
        self.maxSize = max(1, maxSize)
        self.mergeSize = min(mergeSize, 20)
        self.mergeParts = max(2, mergeParts)
        self.restarts = max(1, restarts)
        let W = graph.words, I = graph.inputCount
        func side(_ bits: [UInt64]) -> [VertexSet] {
            (1...max(graph.vertexCount, 1)).map { v in
                guard v <= graph.vertexCount else { return VertexSet() }
                var set = VertexSet()
                let x = graph.node(ofVertex: v)
                for u in 1...graph.vertexCount {
                    let y = I + u - 1
                    if bits[x * W + y >> 6] & (UInt64(1) << UInt64(y & 63)) != 0 { set.insert(u) }
                }
                return set
            }
        }
        ancestors = side(graph.ancestors)
        descendants = side(graph.descendants)
        related = zip(ancestors, descendants).map { $0.union($1) }
    }

    /// The vertices that can change the exact cost of a group with these members under known
    /// precedences: the members and every vertex related to one of them. `exactCost` sees `before`
    /// and `after` only through their intersections with a member's related vertices (the terms)
    /// and through which members they hold (the order constraints), so sets that agree on this
    /// one give the same D(G | before, after) (PrecedenceSplit's memo keys on it; a test checks).
    func relevant(to members: [Int]) -> VertexSet {
        var out = VertexSet(members)
        for v in members { out.formUnion(related[v - 1]) }
        return out
    }

    /// The largest group whose exact table memoises member terms by the shared mask itself (k·2^k
    /// entries: 10,240 at 10) instead of reading per-byte compression tables (MaskCompression).
    static let directMemoSize = 10

    /// CutBound's h(S) alone (fills `cuts.terms`).
    mutating func cutBound(_ sets: SetGraph) -> Int { cuts.evaluate(sets) }

    /// h(S) plus the groups' gains for the set loaded in `sets`.
    mutating func evaluate(_ sets: SetGraph) -> Int {
        let h = cuts.evaluate(sets)
        guard maxSize >= 2 else { return h }
        return h + groupGain(sets)
    }

    /// The shared vertices and the path ends of v's cut term c(v, A ∪ extra) (only those related to
    /// v): S ∪ A ∪ extra shareable, where A is the members in `mask`, and the vertices of `ends`
    /// (known to be still there when v goes) as path ends.
    private func termSets(
        _ v: Int, _ set: VertexSet, _ members: [Int], _ mask: Int, extra: VertexSet, ends: VertexSet?
    ) -> (shared: VertexSet, remaining: VertexSet) {
        var shared = extra.intersection(related[v - 1])
        // `ends` given (known successors): the members not yet placed are path ends too.
        var remaining = ends?.intersection(related[v - 1]) ?? VertexSet()
        let memberEnds = remainingEnds || ends != nil
        for (j, u) in members.enumerated() where u != v && related[v - 1].contains(u) {
            // A member both known gone (`extra`) and not yet placed is an order the precedences
            // rule out: any value is valid there (D is a minimum over a superset of the orders that
            // happen); it is kept shared, which keeps λ finite.
            if mask & (1 << j) != 0 {
                shared.insert(u)
            } else if memberEnds && !shared.contains(u) {
                remaining.insert(u)
            }
        }
        // Known gone and known there at once happens only in a DP order the precedences rule out
        // (never reached from the empty mask): any value is valid; shared wins, keeping λ finite.
        remaining = remaining.subtracting(shared).subtracting(set)
        return (shared, remaining)
    }

    /// λ_in(v) (`upstream`) or λ_out(v) with S ∪ shared shareable and `remaining` as path ends,
    /// cached by v's own side of `shared` and `remaining` (the factor sees nothing else): a group's
    /// members have far fewer ancestor and descendant subsets than related ones.
    private mutating func factor(
        _ v: Int, upstream: Bool, _ set: VertexSet, _ shared: VertexSet, _ remaining: VertexSet
    ) -> Int {
        let region = upstream ? ancestors[v - 1] : descendants[v - 1]
        let key = FactorCache.Key(
            v: Int32(v), upstream: upstream, shared: shared.intersection(region),
            remaining: remaining.intersection(region))
        if let known = factors.value(for: key) { return Int(known) }
        factorFlows += 1
        let gone = set.union(key.shared)
        let value = cuts.disjointPaths(
            to: v, upstream: upstream, set: gone, limit: cuts.degree(of: v, upstream: upstream, after: gone),
            remaining: key.remaining)
        factors.remember(key, Int32(value))
        return value
    }

    /// D(G) by dynamic programming over the subsets of G (the vertices eliminated first); nil when
    /// the deadline passes first (checked every 256 subsets: a group of 16 has 65,536).
    ///
    /// `before` (optional, one set per member, outside G or not): vertices known to go before that
    /// member (PrecedenceSplit). Then member i, going after the members of `mask`, also shares every
    /// vertex known to go before it or before a member of `mask` (all gone by then), and D(G) is the
    /// least cost over G's orders of the completions that respect those precedences.
    ///
    /// `after` (optional, with `before`; one set per member): vertices known to go after that member.
    /// Member i then also has as path ends every vertex known to go after it or after a member not
    /// yet gone (none of them is gone when i goes: CutBound.disjointPaths' `remaining`), and the
    /// dynamic program only follows G's orders that the precedences allow (a member goes only after
    /// the members known to go before it): every completion respecting them orders G so. The sets
    /// must come from one transitive relation (x ∈ before[i] iff i's vertex is in x's after set),
    /// so that such an order exists.
    mutating func exactCost(
        _ members: [Int], _ set: VertexSet, before: [VertexSet]? = nil, after: [VertexSet]? = nil
    ) -> Int? {
        exactTable(members, set, before: before, after: after)?[0]
    }

    /// The whole table of `exactCost`: entry `mask` is the least cost of G's vertices outside
    /// `mask` once those in `mask` are gone (mask bit i = members[i]), with S ∪ mask shareable
    /// (Int.max where the precedences leave no order).
    private mutating func exactTable(
        _ members: [Int], _ set: VertexSet, before: [VertexSet]? = nil, after: [VertexSet]? = nil
    ) -> [Int]? {
        let k = members.count, full = (1 << k) - 1
        var best = [Int](repeating: Int.max, count: 1 << k)
        // Member i's term is λ_in·(λ_out − its free successors), and λ_in sees only v's ancestors
        // (shared, or path ends), λ_out only its descendants (CutBound.disjointPaths' region). So
        // each factor depends only on the mask's bits of the members that are v's ancestors (resp.
        // descendants) or whose known predecessors or successors meet them: memo each factor by
        // those bits (a group's member has far fewer subsets of one side than of both).
        let regions = [ancestors, descendants]
        let sideBits = regions.map { region in
            members.indices.map { i in
                let r = region[members[i] - 1]
                return members.indices.reduce(0) { mask, j in
                    let known = before.map { sets in sets[j].intersection(r).count > 0 } ?? false
                    let later = after.map { sets in sets[j].intersection(r).count > 0 } ?? false
                    return j != i && (r.contains(members[j]) || known || later) ? mask | 1 << j : mask
                }
            }
        }
        // With `after`: the members that must be gone before member i, and those that must not.
        let required = members.indices.map { i in
            members.indices.reduce(0) { mask, j in
                after != nil && before?[i].contains(members[j]) == true ? mask | 1 << j : mask
            }
        }
        let forbidden = members.indices.map { i in
            members.indices.reduce(0) { mask, j in
                after.map { $0[i].contains(members[j]) } ?? false ? mask | 1 << j : mask
            }
        }
        // memo[offset[side·k + i] + index]: member i's factor on `side` by the bits of the mask in
        // its side's bits, −1: not yet computed. Flat arrays: the DP looks factors up 2^k·k times.
        // Groups of up to `directMemoSize` members (pairs at every A* state, the start bound's many
        // small groups) index them by the masked bits themselves (no table to build); larger ones
        // compress the bits to 0..<2^count by a table per byte of the mask (MaskCompression: one
        // per side pattern, 32-bit entries, 3 KiB a pattern).
        let direct = k <= Self.directMemoSize, bytes = direct ? 0 : (k + 7) / 8
        let bitsOf = sideBits[0] + sideBits[1]
        var offsetTable = [Int](repeating: 0, count: 2 * k + 1)
        for m in 0..<2 * k {
            offsetTable[m + 1] = offsetTable[m] + (direct ? 1 << k : 1 << bitsOf[m].nonzeroBitCount)
        }
        // Each member side's compression table, built once per pattern (MaskCompression); the
        // array is read, never changed, while the DP runs.
        let compressBase = direct ? [] : compression.bases(of: bitsOf)
        let compressTable = compression.tables
        let freeSuccessors = members.map { cuts.graph.freeSuccessors[$0 - 1] }
        var memoTable = [Int32](repeating: -1, count: offsetTable[2 * k])
        /// Member i's factor (side 0: λ_in, 1: λ_out) once the members of `sub` (⊆ its side's bits)
        /// are gone, with term's shared vertices and path ends.
        func sideFactor(_ i: Int, _ side: Int, _ sub: Int) -> Int {
            var extra = VertexSet()
            if let before {
                extra = before[i]
                for j in 0..<k where sub & (1 << j) != 0 { extra.formUnion(before[j]) }
            }
            var ends: VertexSet?
            if let after {
                ends = after[i]
                for j in 0..<k where sub & (1 << j) == 0 && bitsOf[side * k + i] & (1 << j) != 0 {
                    ends!.formUnion(after[j])
                }
            }
            let (shared, remaining) = termSets(members[i], set, members, sub, extra: extra, ends: ends)
            return self.factor(members[i], upstream: side == 0, set, shared, remaining)
        }
        // Without path ends (no `after`, no `remainingEnds`) a factor only grows with `sub`: a
        // larger sub shares a superset of vertices (its members and their known predecessors), and
        // a shared vertex is a node of infinite capacity, which never lowers a maximum flow. So
        // where the factor at F equals the one at F ∪ U, it is that value at every set between
        // them, and one flow at each end settles the whole subcube (a reduction tree's λs take a
        // few values over 2^17 subsets). With path ends, a member that goes moves from path end to
        // shared, which need not raise λ: there every slot gets its own flow.
        let monotone = after == nil && !remainingEnds
        var settledMasks = 0
        // The DP reads and writes its tables through buffer pointers: no bounds or exclusivity
        // checks in the loop that runs 2^k·k times (with the one memo and the 32-bit tables, g's
        // proof went from 110 to 95 s of CPU).
        let finished = best.withUnsafeMutableBufferPointer { best in
            memoTable.withUnsafeMutableBufferPointer { memo in
                offsetTable.withUnsafeBufferPointer { offset in
                    compressTable.withUnsafeBufferPointer { compress in
                        bitsOf.withUnsafeBufferPointer { bitsOf in
                            @inline(__always) func slot(_ m: Int, _ mask: Int) -> Int {
                                let sub = mask & bitsOf[m]
                                guard !direct else { return offset[m] + sub }
                                var index = 0
                                let base = compressBase[m]
                                for byte in 0..<bytes {
                                    index |= Int(compress[base + byte * 256 + (sub >> (8 * byte)) & 255])
                                }
                                return offset[m] + index
                            }
                            /// Member i's factor on `side` once the members of `sub` are gone, at memo
                            /// slot `target` (not yet filled), filling the memo.
                            func fill(_ i: Int, _ side: Int, _ sub: Int, _ target: Int) -> Int32 {
                                guard monotone else {
                                    memo[target] = Int32(sideFactor(i, side, sub))
                                    return memo[target]
                                }
                                // Halve the subcube [lower, lower ∪ free] around sub until both ends
                                // agree, on the members nearest v first (members ascend in program
                                // order: λ_in's nearest ancestor is the highest bit, λ_out's nearest
                                // descendant the lowest). Those decide most cuts; on reduction-70-21
                                // this order took 88 thousand flows where the other took 3.9 million.
                                let m = side * k + i
                                var lower = 0, free = bitsOf[m]
                                while true {
                                    let low = slot(m, lower), high = slot(m, lower | free)
                                    if memo[low] < 0 { memo[low] = Int32(sideFactor(i, side, lower)) }
                                    if memo[high] < 0 { memo[high] = Int32(sideFactor(i, side, lower | free)) }
                                    let value = memo[low]
                                    if value == memo[high] {
                                        var x = free
                                        while true {
                                            memo[slot(m, lower | x)] = value
                                            if x == 0 { break }
                                            x = (x - 1) & free
                                        }
                                        return value
                                    }
                                    let bit =
                                        side == 0 ? 1 << (Int.bitWidth - 1 - free.leadingZeroBitCount) : free & -free
                                    free &= ~bit
                                    lower |= sub & bit
                                }
                            }
                            /// best[mask] from its supersets one member larger (all settled before it).
                            func settle(_ mask: Int) {
                                var value = Int.max
                                for i in 0..<k where mask & (1 << i) == 0 {
                                    guard mask & required[i] == required[i], mask & forbidden[i] == 0,
                                        best[mask | (1 << i)] != Int.max
                                    else { continue }
                                    let inSlot = slot(i, mask)
                                    var lin = Int(memo[inSlot])
                                    if lin < 0 { lin = Int(fill(i, 0, mask & bitsOf[i], inSlot)) }
                                    var t = 0
                                    if lin > 0 {
                                        let outSlot = slot(k + i, mask)
                                        var lout = Int(memo[outSlot])
                                        if lout < 0 { lout = Int(fill(i, 1, mask & bitsOf[k + i], outSlot)) }
                                        t = lin * (lout - freeSuccessors[i])
                                    }
                                    value = min(value, t + best[mask | (1 << i)])
                                }
                                best[mask] = value
                                settledMasks += 1
                            }
                            best[full] = 0
                            guard required.contains(where: { $0 != 0 }) else {
                                // No precedences among the members: every mask, in descending order.
                                for mask in stride(from: full - 1, through: 0, by: -1) {
                                    if mask & 255 == 0 && k > 8 && deadline.passed() { return false }
                                    settle(mask)
                                }
                                return true
                            }
                            // With precedences, only the masks an allowed order passes through are
                            // settled: those that hold, with every member, the members required
                            // before it (43 million of the 215 million masks of 30 s of g's split).
                            // A walk deciding the bits from the highest, 1 before 0, yields exactly
                            // those, each once and after its supersets: a 1 takes the bit's required
                            // members in, a 0 keeps its dependents out, so a 1 is never taken where a
                            // member it requires was left out (that 0 kept it out), and a mask
                            // missing a required member never completes. This needs no
                            // transitivity. An allowed step from such a mask reaches another (the
                            // added member's required ones are in), so the rest, kept at Int.max,
                            // are never read.
                            // The members that must go after member i (the transposed `required`).
                            let dependents = members.indices.map { i in
                                members.indices.reduce(0) { required[$1] & (1 << i) != 0 ? $0 | 1 << $1 : $0 }
                            }
                            var reached = 0
                            func walk(_ bit: Int, _ ones: Int, _ zeros: Int) -> Bool {
                                guard bit >= 0 else {
                                    if ones != full { settle(ones) }
                                    reached += 1
                                    return !(reached & 255 == 0 && k > 8 && deadline.passed())
                                }
                                let b = 1 << bit
                                if zeros & b == 0 && !walk(bit - 1, ones | b | required[bit], zeros) { return false }
                                if ones & b == 0 && !walk(bit - 1, ones, zeros | b | dependents[bit]) { return false }
                                return true
                            }
                            return walk(k - 1, 0, 0)
                        }
                    }
                }
            }
        }
        masksSettled += settledMasks
        guard finished else {
            timedOut = true
            return nil
        }
        groupsSolved += 1
        return best
    }

    /// The packing of the last `evaluate` (at set S) with each group's whole table, for
    /// `InheritedGroups` to reuse at later states; nil if the deadline passes.
    mutating func inheritedGroups(_ sets: SetGraph) -> InheritedGroups? {
        var groups: [(members: [Int], table: [Int])] = []
        for members in packing {
            guard let table = exactTable(members, sets.set) else { return nil }
            groups.append((members, table))
        }
        return InheritedGroups(groups: groups, vertexCount: cuts.graph.vertexCount)
    }

    /// The fractional packing of the last `evaluate` (at set S) with each group's whole table and
    /// weight, for `InheritedGroups`; nil without one or if the deadline passes.
    mutating func inheritedFractionalGroups(_ sets: SetGraph) -> InheritedGroups? {
        guard let fractional else { return nil }
        var groups: [(members: [Int], table: [Int], weight: Int)] = []
        for group in fractional.groups {
            guard let table = exactTable(group.members, sets.set) else { return nil }
            groups.append((group.members, table, group.weight))
        }
        return InheritedGroups(
            weighted: groups, denominator: fractional.denominator, vertexCount: cuts.graph.vertexCount)
    }

    /// What the groups add to h(S) (call `cuts.evaluate` for the same set first).
    mutating func groupGain(_ sets: SetGraph) -> Int {
        let graph = cuts.graph, W = graph.words, I = graph.inputCount, n = graph.vertexCount
        factors.removeAll()
        mergedGain.removeAll(keepingCapacity: true)
        timedOut = false
        groupsSolved = 0
        // Vertices with a positive term, and their neighbours among them in the graph after S.
        var neighbours = [[Int]](repeating: [], count: n)
        for i in 0..<n where cuts.terms[i] > 0 {
            for word in 0..<W {
                var bits = sets.predecessorBits[i * W + word]
                while bits != 0 {
                    let x = word << 6 + bits.trailingZeroBitCount
                    bits &= bits - 1
                    guard x >= I, cuts.terms[x - I] > 0 else { continue }
                    neighbours[i].append(x - I + 1)
                    neighbours[x - I].append(i + 1)
                }
            }
        }
        // Connected sets of 2…maxSize vertices, level by level.
        var candidates: [(gain: Int, members: [Int])] = []
        var level = Set<VertexSet>()
        for i in 0..<n where cuts.terms[i] > 0 { level.insert(VertexSet([i + 1])) }
        enumeration: for _ in 2...maxSize {
            var next = Set<VertexSet>()
            for group in level {
                for v in members(of: group, n) {
                    for u in neighbours[v - 1] where !group.contains(u) { next.insert(group.inserting(u)) }
                }
            }
            for (index, group) in next.enumerated() {
                if index & 15 == 0 && deadline.passed() {
                    timedOut = true
                    break enumeration
                }
                let list = members(of: group, n)
                guard let cost = exactCost(list, sets.set) else { break enumeration }
                let gain = cost - list.reduce(0) { $0 + cuts.terms[$1 - 1] }
                if gain > 0 { candidates.append((gain, list)) }
            }
            level = next
        }
        // Canonical order first (the sets above come out in hash order, which varies by process).
        candidates.sort { $0.members.lexicographicallyPrecedes($1.members) }
        var best = 0
        packing = []
        for r in 0..<restarts {
            // The first packing always runs (it is what makes the groups count); later ones only
            // while there is time.
            if r > 0 && (timedOut || deadline.passed()) {
                timedOut = true
                break
            }
            var groups = Self.pack(candidates, vertexCount: n, tieOrder: UInt64(r)).map { candidates[$0] }
            if mergeSize > maxSize && !timedOut { groups = merge(groups, neighbours, sets.set) }
            let total = groups.reduce(0) { $0 + $1.gain }
            if total > best || packing.isEmpty {
                best = max(best, total)
                packing = groups.map(\.members)
            }
        }
        fractional = nil
        if let relaxation, !timedOut && !deadline.passed() {
            // Every candidate and every merged group with a gain (each a group with its exact D(G)).
            var columns = candidates
            var seen = Set(candidates.map(\.members))
            for (members, gain) in mergedGain.sorted(by: { $0.key.lexicographicallyPrecedes($1.key) })
            where gain > 0 && seen.insert(members).inserted {
                columns.append((gain, members))
            }
            if let weights = relaxation(FractionalPacking.model(columns, vertexCount: n)),
                weights.count == columns.count
            {
                let packed = FractionalPacking.rounded(columns, vertexCount: n, weights: weights)
                fractional = packed
                best = max(best, packed.gain)
            }
        }
        return best
    }

    /// Coarsens a packing: repeatedly merges the adjacent groups (a vertex in no group is a group of
    /// one with gain 0) whose merged exact gain beats their gains apart by the most, up to
    /// `mergeSize` vertices: pairs first, and only when no pair gains, connected clusters of three
    /// and so on up to `mergeParts` groups (a coupling that needs both neighbours of a group known,
    /// e.g. a vertex whose cut grows only when two cheap predecessors are shared). The result is
    /// still a packing of disjoint groups, each with its exact D(G).
    private mutating func merge(
        _ packed: [(gain: Int, members: [Int])], _ neighbours: [[Int]], _ set: VertexSet
    ) -> [(gain: Int, members: [Int])] {
        let n = cuts.graph.vertexCount
        var groups = packed
        var owner = [Int](repeating: -1, count: n + 1)
        for (g, group) in groups.enumerated() { for v in group.members { owner[v] = g } }
        for v in 1...max(n, 1) where v <= n && owner[v] < 0 && cuts.terms[v - 1] > 0 {
            owner[v] = groups.count
            groups.append((0, [v]))
        }
        var alive = [Bool](repeating: true, count: groups.count)
        func finish(_ groups: [(gain: Int, members: [Int])], _ alive: [Bool]) -> [(gain: Int, members: [Int])] {
            groups.indices.filter { alive[$0] && groups[$0].gain > 0 }.map { groups[$0] }
        }
        /// Alive groups next to a member of `cluster`, outside it.
        func adjacent(_ cluster: [Int]) -> [Int] {
            var near = Set<Int>()
            for g in cluster {
                for v in groups[g].members {
                    for u in neighbours[v - 1] where alive[owner[u]] && !cluster.contains(owner[u]) {
                        near.insert(owner[u])
                    }
                }
            }
            return near.sorted()
        }
        /// The connected clusters of one more alive group than those of `level`, of at most
        /// `mergeSize` vertices in all, each once (ascending), in lexicographic order; from the
        /// single groups, the pairs in the order of bounds6's pairwise merge.
        func grown(_ level: [[Int]]) -> [[Int]] {
            var next = Set<[Int]>()
            for cluster in level {
                let size = cluster.reduce(0) { $0 + groups[$1].members.count }
                for g in adjacent(cluster) where size + groups[g].members.count <= mergeSize {
                    next.insert((cluster + [g]).sorted())
                }
            }
            return next.sorted { $0.lexicographicallyPrecedes($1) }
        }
        while true {
            if deadline.passed() {
                timedOut = true
                break
            }
            var best: (improvement: Int, parts: [Int], merged: (gain: Int, members: [Int]))?
            // Pairs, then (only if no pair gains) triples grown from those pairs, and so on.
            var level = groups.indices.filter { alive[$0] }.map { [$0] }
            for _ in 2...mergeParts {
                level = grown(level)
                for cluster in level {
                    let members = cluster.flatMap { groups[$0].members }.sorted()
                    let gain: Int
                    if let value = mergedGain[members] {
                        gain = value
                    } else {
                        // Out of time: keep the merges made so far (each one a valid group).
                        guard let cost = exactCost(members, set) else { return finish(groups, alive) }
                        gain = cost - members.reduce(0) { $0 + cuts.terms[$1 - 1] }
                        mergedGain[members] = gain
                    }
                    let improvement = gain - cluster.reduce(0) { $0 + groups[$1].gain }
                    if improvement > 0 && (best == nil || improvement > best!.improvement) {
                        best = (improvement, cluster, (gain, members))
                    }
                }
                if best != nil { break }
            }
            guard let merge = best else { break }
            for g in merge.parts { alive[g] = false }
            for v in merge.merged.members { owner[v] = groups.count }
            groups.append(merge.merged)
            alive.append(true)
        }
        return finish(groups, alive)
    }

    private func members(of group: VertexSet, _ n: Int) -> [Int] {
        (1...n).filter { group.contains($0) }
    }

    /// Pairwise disjoint candidates (their indices) of large total gain: greedy (by gain, and by gain per vertex; the
    /// better of the two), then local search: put in one candidate, drop the packed ones it overlaps,
    /// refill the freed vertices greedily, and keep the change when the total grows (the better of
    /// the two packings is returned).
    static func pack(
        _ candidates: [(gain: Int, members: [Int])], vertexCount n: Int, tieOrder: UInt64 = 0
    ) -> [Int] {
        // Ties (same gain and size) in index order, or in a fixed permutation of it.
        let tie = candidates.indices.map {
            tieOrder == 0 ? UInt64($0) : (UInt64($0) &+ tieOrder &* 0x9E37_79B9_7F4A_7C15) &* 0xBF58_476D_1CE4_E5B9
        }
        let byGain = candidates.indices.sorted {
            let a = candidates[$0], b = candidates[$1]
            if a.gain != b.gain { return a.gain > b.gain }
            if a.members.count != b.members.count { return a.members.count < b.members.count }
            return tie[$0] < tie[$1]
        }
        let byDensity = candidates.indices.sorted {
            let a = candidates[$0], b = candidates[$1]
            if a.gain * b.members.count != b.gain * a.members.count {
                return a.gain * b.members.count > b.gain * a.members.count
            }
            if a.gain != b.gain { return a.gain > b.gain }
            return tie[$0] < tie[$1]
        }
        var containing = [[Int]](repeating: [], count: n + 1)
        for (c, candidate) in candidates.enumerated() {
            for v in candidate.members { containing[v].append(c) }
        }
        var best: (total: Int, chosen: [Int]) = (0, [])
        // The refill's candidates of one trial, deduplicated by a stamp per candidate (a hash set
        // here took a third of a small program's proof: Docs/RESULTS.md, "(bounds13)").
        var refillStamp = [Int](repeating: 0, count: candidates.count), trialNumber = 0
        var refillRanks: [Int] = []
        for order in [byGain, byDensity] {
            var rank = [Int](repeating: 0, count: candidates.count)
            for (r, c) in order.enumerated() { rank[c] = r }
            var owner = [Int](repeating: -1, count: n + 1)
            var total = 0
            for c in order where candidates[c].members.allSatisfy({ owner[$0] < 0 }) {
                for v in candidates[c].members { owner[v] = c }
                total += candidates[c].gain
            }
            var improved = true, rounds = 0
            while improved && rounds < 5 {
                improved = false
                rounds += 1
                for c in order where owner[candidates[c].members[0]] != c {
                    var trial = owner, trialTotal = total
                    var freed: [Int] = []
                    for v in candidates[c].members where trial[v] >= 0 {
                        let o = trial[v]
                        trialTotal -= candidates[o].gain
                        for u in candidates[o].members {
                            trial[u] = -1
                            freed.append(u)
                        }
                    }
                    for v in candidates[c].members { trial[v] = c }
                    trialTotal += candidates[c].gain
                    // Refill the freed vertices with the candidates that touch them, in greedy order.
                    trialNumber += 1
                    refillRanks.removeAll(keepingCapacity: true)
                    for u in freed where trial[u] < 0 {
                        for d in containing[u] where refillStamp[d] != trialNumber {
                            refillStamp[d] = trialNumber
                            refillRanks.append(rank[d])
                        }
                    }
                    refillRanks.sort()
                    for d in refillRanks.lazy.map({ order[$0] })
                    where candidates[d].members.allSatisfy({ trial[$0] < 0 }) {
                        for v in candidates[d].members { trial[v] = d }
                        trialTotal += candidates[d].gain
                    }
                    if trialTotal > total {
                        owner = trial
                        total = trialTotal
                        improved = true
                    }
                }
            }
            if total > best.total || best.chosen.isEmpty {
                best = (total, Set(owner.filter { $0 >= 0 }).sorted())
            }
        }
        return best.chosen
    }
}
