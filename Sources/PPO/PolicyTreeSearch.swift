#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
import Elimination
import NeuralNet

/// AlphaZero-style tree search over the elimination game (PUCT), guided by the trained networks:
/// the policy gives each legal vertex a prior, the value network estimates the multiplications
/// still to come at a leaf, and exact step costs are summed along every path. At each real step
/// the search runs `simulations` simulations from the current state, then eliminates the most
/// visited vertex (the subtree below it is kept). Any complete order met on the way counts too;
/// the cheapest is returned, re-scored by the game. On large graphs (the candidate view) every node
/// keeps its state's `RemainingCosts`, derived from its parent's by the move (no scan per node).
public final class PolicyTreeSearch {
    public let network: PolicyNetwork
    let spec: GameSpec
    /// Exploration constant of PUCT.
    public var cPUCT: Double = 1.25
    /// Tests only: the candidate view reads costs rebuilt from each state (a scan of every remaining
    /// vertex, what the search did before it kept them per node), the naive twin of the kept costs.
    var rebuildsCosts = false

    final class Node {
        let state: EliminationState
        /// The candidate view's costs of `state`, kept from the parent's (`TokenFeatures.episodeCosts`).
        let costs: RemainingCosts?
        var actions: [Int] = []  // legal vertex ids
        var priors: [Double] = []
        var children: [Node?] = []
        var visits: [Int] = []
        var totalReturn: [Double] = []  // Σ (−cost to the end) over the simulations through each child
        var stepCost: [Int] = []  // exact cost of eliminating each action here
        var expanded = false
        var estimate = 0.0  // value network: multiplications still to come

        init(state: EliminationState, costs: RemainingCosts?) {
            self.state = state
            self.costs = costs
        }

        /// The child reached by eliminating v: the state and its costs after the move.
        func child(_ v: Int) -> Node {
            var state = self.state, costs = self.costs
            TokenFeatures.eliminate(v, in: &state, costs: &costs)
            return Node(state: state, costs: costs)
        }
    }

    private var batch = TokenBatch()
    private var logp: [Float] = []  // (T)
    private var lowest = Double.infinity, highest = -Double.infinity  // return range, for normalising Q
    private var best: BestOrder?

    public init(network: PolicyNetwork, spec: GameSpec) {
        self.network = network
        self.spec = spec
    }

    public func search(simulations: Int) throws -> BestOrder {
        let start = EliminationState(spec: spec)
        var root = Node(state: start, costs: TokenFeatures.episodeCosts(start))
        var prefix: [Int] = []
        best = nil
        while !root.state.isTerminal {
            try expand(root)
            for _ in 0..<max(simulations, 1) { try simulate(root, prefix: prefix) }
            let i = root.visits.indices.max { root.visits[$0] < root.visits[$1] }!
            prefix.append(root.actions[i])
            root = root.children[i] ?? root.child(root.actions[i])
        }
        let played = try Baselines.score(prefix, on: spec)
        if best.map({ played.cost < $0.cost }) ?? true { best = BestOrder(cost: played.cost, order: prefix) }
        let result = best!
        // Never trust the tree's own arithmetic: the game re-scores the order.
        let rescored = try Baselines.score(result.order, on: spec)
        return BestOrder(cost: rescored.cost, order: result.order)
    }

    /// Selection by PUCT down to a leaf, expansion with the networks, backup of the return.
    private func simulate(_ root: Node, prefix: [Int]) throws {
        var path: [(Node, Int)] = []
        var node = root
        while node.expanded && !node.state.isTerminal {
            let i = select(node)
            path.append((node, i))
            if node.children[i] == nil { node.children[i] = node.child(node.actions[i]) }
            node = node.children[i]!
        }
        var remaining = 0.0
        if node.state.isTerminal {
            // A complete order: keep it if it is the cheapest yet.
            let order = prefix + path.map { $0.0.actions[$0.1] }
            if best.map({ node.state.cost < $0.cost }) ?? true { best = BestOrder(cost: node.state.cost, order: order) }
        } else {
            try expand(node)
            remaining = node.estimate
        }
        // Back up: the return of a child is minus everything still to pay below its parent.
        for (parent, i) in path.reversed() {
            remaining += Double(parent.stepCost[i])
            parent.visits[i] += 1
            parent.totalReturn[i] -= remaining
            lowest = min(lowest, -remaining)
            highest = max(highest, -remaining)
        }
    }

    private func select(_ node: Node) -> Int {
        let parentVisits = Double(node.visits.reduce(0, +))
        let spread = highest > lowest ? highest - lowest : 1
        var bestIndex = 0, bestScore = -Double.infinity
        for i in node.actions.indices {
            let n = Double(node.visits[i])
            // Q in [0, 1] over the returns seen so far; an unvisited child starts at the parent's
            // own estimate (−(step cost + what the value network expects after it)).
            let q = n > 0 ? node.totalReturn[i] / n : -(Double(node.stepCost[i]) + node.estimate)
            let qNormalised = min(max((q - lowest) / spread, 0), 1)
            let u = cPUCT * node.priors[i] * (parentVisits + 1).squareRoot() / (1 + n)
            if qNormalised + u > bestScore { bestScore = qNormalised + u; bestIndex = i }
        }
        return bestIndex
    }

    private func expand(_ node: Node) throws {
        guard !node.expanded else { return }
        let T = try evaluate(node.state, costs: rebuildsCosts ? nil : node.costs)
        var actions: [Int] = [], priors: [Double] = []
        for t in 0..<T where batch.legal[t] {
            actions.append(Int(batch.vertices[t]))
            priors.append(Double(expf(logp[t])))
        }
        node.actions = actions
        node.priors = priors
        node.children = [Node?](repeating: nil, count: actions.count)
        node.visits = [Int](repeating: 0, count: actions.count)
        node.totalReturn = [Double](repeating: 0, count: actions.count)
        node.stepCost = actions.map { node.state.previewCost($0) }
        node.estimate = max(0, -Double(symexp(network.values[0])))
        node.expanded = true
    }

    /// Policy log-probabilities and the value of one state (batch of 1); `costs`: its candidate
    /// view's costs (nil on the full view).
    private func evaluate(_ state: EliminationState, costs: RemainingCosts?) throws -> Int {
        let T = batch.write([state], costs: [costs])
        try batch.forwardPolicy(network)
        if logp.count < T { logp = [Float](repeating: 0, count: T) }
        logp.withUnsafeMutableBufferPointer { lp in
            maskedLogSoftmaxForward(
                logp: lp.baseAddress!, logits: network.logits, actionMask: batch.legal, B: 1, T: T)
        }
        try batch.forwardValue(network)
        return T
    }
}
