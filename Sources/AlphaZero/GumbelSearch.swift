#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
import Elimination
import NeuralNet
import PPO
import Randomness

/// One move's policy-improvement search (Gumbel AlphaZero: "Policy improvement by planning with
/// Gumbel", Danihelka et al., ICLR 2022, as mctx's `gumbel_muzero_policy` runs it) on the exact
/// elimination game. Rewards are minus the exact step costs, undiscounted; an unexpanded leaf is
/// valued by the evaluator, a terminal state by 0.
///
/// At the root, m = min(maxConsideredActions, legal actions) actions are drawn by Gumbel-top-k
/// and halved sequentially over the budget (`SequentialHalving`): simulation k visits, among the
/// root actions whose visit count is the schedule's k-th entry, the one with the largest
/// g(a) + logits(a) + σ(completedQ(a)). Below the root the choice is deterministic:
/// argmax π'(a) − N(a)/(1 + ΣN). The result is the action among the most-visited survivors with
/// the largest g + logits + σ(q), and the improved policy π' = softmax(logits + σ(completedQ)).
///
/// Pure: no clock and no global randomness (the Gumbel noise comes from the caller's stream). The
/// evaluator is not called from here: `nextLeaf()` hands out what to evaluate and
/// `expandLeaf(with:)` takes the answer, so a driver can batch the leaves of many searches into
/// one forward. `run` is that driver for one search. Evaluations are only ever taken lazily (a
/// leaf's policy when a simulation first chooses below it) or reused from the last move's search
/// (`known`); neither changes a number of the search, only how many forwards it costs. On large
/// graphs (the candidate view) every node keeps its state's `RemainingCosts`, derived from its
/// parent's by the move, and hands them out with its requests (no scan of every vertex per node).
public struct GumbelSearch {
    public let simulations: Int
    let cVisit: Double, cScale: Double
    /// Root actions considered (m) and the visit schedule over them.
    public let consideredCount: Int
    let schedule: [Int]
    /// g(a) per root action, already scaled by the Gumbel scale.
    public let gumbel: [Double]
    var nodes: [Node]
    /// Evaluations known before the search (from the last move's search), by action path.
    let known: KnownEvaluations
    public private(set) var simulationsDone = 0
    /// Evaluator calls saved by `known` (values and policies).
    public private(set) var reused = 0
    /// The request waiting for its evaluation.
    private var pending: Pending?
    /// Tests only: requests carry no costs, so the evaluator rebuilds them from each state (a scan
    /// of every remaining vertex, what the search did before it kept them per node).
    var rebuildsCosts = false

    /// Evaluations by the path of actions (vertex ids) from the search's root.
    public typealias KnownEvaluations = [[Int]: LeafEvaluation]

    enum Pending {
        /// The policy of an existing node; the simulation restarts from the root once it is known
        /// (selection is deterministic and nothing was backed up, so it takes the same path).
        case policy(node: Int)
        /// The value of a new leaf at the end of `path`.
        case value(path: [(node: Int, action: Int)], state: EliminationState, costs: RemainingCosts?, actions: [Int])
    }

    struct Node {
        let state: EliminationState
        /// The candidate view's costs of `state`, kept from the parent's (`TokenFeatures.episodeCosts`).
        let costs: RemainingCosts?
        /// Actions (vertex ids) from the root to here.
        let path: [Int]
        let actions: [Int]  // legal vertex ids, ascending
        var logits: [Double]?  // nil until a simulation must choose below this node
        var prior: [Double]?  // softmax(logits)
        let rawValue: Double  // the evaluator's value, or 0 at a terminal state
        var children: [Int]  // node index per action, −1 while unexpanded
        var rewards: [Double]  // −(exact step cost) per action, set with the child
        var visits = 1  // the expansion counts as the first visit (as in mctx)
        var valueSum: Double  // Σ returns from this node over its visits

        init(state: EliminationState, costs: RemainingCosts?, path: [Int], logits: [Double]?, rawValue: Double) {
            self.state = state
            self.costs = costs
            self.path = path
            actions = state.remaining
            self.rawValue = rawValue
            children = [Int](repeating: -1, count: actions.count)
            rewards = [Double](repeating: 0, count: actions.count)
            valueSum = rawValue
            if let logits { setLogits(logits) }
        }

        mutating func setLogits(_ logits: [Double]) {
            self.logits = logits
            prior = PolicyImprovement.softmax(logits)
        }

        var isTerminal: Bool { actions.isEmpty }
        var value: Double { valueSum / Double(visits) }
    }

    /// Starts a search at `root` (not terminal) whose policy and value are `evaluation`; draws the
    /// root's Gumbel noise from `rng`, one number per legal action in order. `known` holds
    /// evaluations of states below the root by their action path (the last search's, below the
    /// move it chose): the search takes them instead of asking the evaluator.
    public init(
        root: EliminationState, evaluation: LeafEvaluation, known: KnownEvaluations = [:], hp: AlphaZeroHyperparameters,
        rng: inout Xoshiro256StarStar
    ) throws(AlphaZeroError) {
        try hp.validate()
        guard !root.isTerminal else {
            throw .misuse("a search needs a state with a move left; \(root.spec.name) is already fully eliminated")
        }
        try evaluation.check(for: root, policy: true, value: true)
        simulations = hp.simulations
        cVisit = hp.cVisit
        cScale = hp.cScale
        self.known = known
        let rootNode = Node(
            state: root, costs: TokenFeatures.episodeCosts(root), path: [], logits: evaluation.logits,
            rawValue: evaluation.value!)
        nodes = [rootNode]
        nodes.reserveCapacity(hp.simulations + 1)
        consideredCount = min(hp.maxConsideredActions, rootNode.actions.count)
        schedule = SequentialHalving.consideredVisits(maxConsidered: consideredCount, simulations: hp.simulations)
        var g: [Double] = []
        g.reserveCapacity(rootNode.actions.count)
        for _ in rootNode.actions {
            // Gumbel(0, 1) = −log(−log u); u is kept off 0 so the noise stays finite.
            let u = max(rng.nextUniform(), 0x1.0p-60)
            g.append(hp.gumbelScale * -log(-log(u)))
        }
        gumbel = g
    }

    public var isComplete: Bool { simulationsDone >= simulations }

    /// Runs the next simulations' selection until one needs the evaluator — the value of a new
    /// leaf, or the policy of a node to choose below — and returns that request; simulations that
    /// end at a terminal state or on a known evaluation finish here. Nil once the budget is spent.
    /// Call `expandLeaf(with:)` before asking again.
    public mutating func nextLeaf() throws(AlphaZeroError) -> LeafRequest? {
        guard pending == nil else { throw .misuse("nextLeaf() called again before expandLeaf(with:)") }
        while !isComplete {
            var path: [(node: Int, action: Int)] = []
            var index = 0
            while true {
                if nodes[index].logits == nil {
                    if let logits = known[nodes[index].path]?.logits {
                        nodes[index].setLogits(logits)
                        reused += 1
                    } else {
                        pending = .policy(node: index)
                        return LeafRequest(
                            state: nodes[index].state, wantsPolicy: true, wantsValue: false,
                            costs: requestCosts(nodes[index].costs))
                    }
                }
                let a = index == 0 ? rootChoice() : interiorChoice(index)
                path.append((index, a))
                let child = nodes[index].children[a]
                if child < 0 {
                    var next = nodes[index].state, costs = nodes[index].costs
                    let vertex = nodes[index].actions[a]
                    let cost = TokenFeatures.eliminate(vertex, in: &next, costs: &costs)
                    nodes[index].rewards[a] = -Double(cost)
                    let actions = nodes[index].path + [vertex]
                    if next.isTerminal {
                        attach(Node(state: next, costs: nil, path: actions, logits: [], rawValue: 0), path: path)
                        break
                    }
                    if let evaluation = known[actions], let value = evaluation.value {
                        attach(
                            Node(state: next, costs: costs, path: actions, logits: evaluation.logits, rawValue: value),
                            path: path)
                        reused += 1
                        break
                    }
                    pending = .value(path: path, state: next, costs: costs, actions: actions)
                    return LeafRequest(state: next, wantsPolicy: false, wantsValue: true, costs: requestCosts(costs))
                }
                if nodes[child].isTerminal {
                    backup(path: path, leafValue: 0)
                    break
                }
                index = child
            }
        }
        return nil
    }

    /// Takes the evaluation of the request `nextLeaf()` handed out: a policy is stored on its
    /// node; a value expands the new leaf and is backed up (logits that come with it are kept).
    public mutating func expandLeaf(with evaluation: LeafEvaluation) throws(AlphaZeroError) {
        switch pending {
        case nil:
            throw .misuse("expandLeaf(with:) without a request from nextLeaf()")
        case .policy(let index):
            try evaluation.check(for: nodes[index].state, policy: true, value: false)
            pending = nil
            nodes[index].setLogits(evaluation.logits!)
        case .value(let path, let state, let costs, let actions):
            try evaluation.check(for: state, policy: false, value: true)
            pending = nil
            attach(
                Node(state: state, costs: costs, path: actions, logits: evaluation.logits, rawValue: evaluation.value!),
                path: path)
        }
    }

    /// The costs a request carries: the node's kept ones (none under the test switch).
    private func requestCosts(_ costs: RemainingCosts?) -> RemainingCosts? { rebuildsCosts ? nil : costs }

    /// Adds `node` as the child at the end of `path` and backs up its value.
    private mutating func attach(_ node: Node, path: [(node: Int, action: Int)]) {
        let last = path[path.count - 1]
        nodes.append(node)
        nodes[last.node].children[last.action] = nodes.count - 1
        // The new node already holds its first visit; back up through its ancestors only.
        var value = node.rawValue
        for (index, a) in path.reversed() {
            value += nodes[index].rewards[a]
            nodes[index].visits += 1
            nodes[index].valueSum += value
        }
        simulationsDone += 1
    }

    /// A simulation that ended on an existing terminal child: one more visit along the whole path.
    private mutating func backup(path: [(node: Int, action: Int)], leafValue: Double) {
        let last = path[path.count - 1]
        let leaf = nodes[last.node].children[last.action]
        nodes[leaf].visits += 1
        nodes[leaf].valueSum += leafValue
        var value = leafValue
        for (index, a) in path.reversed() {
            value += nodes[index].rewards[a]
            nodes[index].visits += 1
            nodes[index].valueSum += value
        }
        simulationsDone += 1
    }

    // MARK: Statistics of a node

    /// N(a) per action of node `index`.
    func childVisits(_ index: Int) -> [Int] {
        nodes[index].children.map { $0 < 0 ? 0 : nodes[$0].visits }
    }

    /// q(a) = r(a) + value(child) for visited actions (0 elsewhere; completion replaces those).
    func qValues(_ index: Int) -> [Double] {
        let node = nodes[index]
        return node.children.indices.map { a in
            node.children[a] < 0 ? 0 : node.rewards[a] + nodes[node.children[a]].value
        }
    }

    /// σ(completedQ) of node `index`.
    func transformedQ(_ index: Int) -> [Double] {
        let node = nodes[index]
        return PolicyImprovement.transformedQ(
            rawValue: node.rawValue, q: qValues(index), visits: childVisits(index),
            prior: node.prior!, cVisit: cVisit, cScale: cScale)
    }

    private func interiorChoice(_ index: Int) -> Int {
        let improved = PolicyImprovement.improvedPolicy(logits: nodes[index].logits!, transformedQ: transformedQ(index))
        return PolicyImprovement.interiorChoice(improvedPolicy: improved, visits: childVisits(index))
    }

    /// The root action of the current simulation: the best g + logits + σ(q) among the actions
    /// whose visit count is the one the schedule asks for.
    private func rootChoice() -> Int {
        let visits = childVisits(0)
        return bestRootScore(among: visits, visitCount: schedule[simulationsDone])
    }

    private func bestRootScore(among visits: [Int], visitCount: Int) -> Int {
        let sigma = transformedQ(0), logits = nodes[0].logits!
        // The schedule always leaves a candidate; should it not, every action competes.
        let candidates =
            visits.indices.contains { visits[$0] == visitCount }
            ? visits.indices.filter { visits[$0] == visitCount } : Array(visits.indices)
        var best = candidates[0], bestScore = -Double.infinity
        for a in candidates {
            let score = gumbel[a] + logits[a] + sigma[a]
            if score > bestScore { best = a; bestScore = score }
        }
        return best
    }

    // MARK: Result

    /// What one move's search produced (every array is over the root's legal actions, in order).
    public struct Outcome: Sendable {
        /// Legal root actions (vertex ids, ascending).
        public var actions: [Int]
        /// Index into `actions` of the move to play, and its vertex id.
        public var actionIndex: Int
        public var action: Int { actions[actionIndex] }
        /// π' = softmax(logits + σ(completedQ)): the policy's training target.
        public var improvedPolicy: [Double]
        /// completedQ in cost units (before min-max and σ).
        public var completedQ: [Double]
        public var visits: [Int]
        /// The evaluator's value of the root.
        public var rootValue: Double
        /// What the search learnt of the chosen child's state (its value; its logits if a
        /// simulation chose below it), nil if the move ends the game: the next move's root.
        public var childEvaluation: LeafEvaluation?
        /// Evaluations below the chosen child, by action path from it: the next search's `known`.
        public var knownBelowChoice: KnownEvaluations
    }

    /// The move and the training target; valid once the budget is spent (`isComplete`).
    public func outcome() throws(AlphaZeroError) -> Outcome {
        guard isComplete, pending == nil else {
            throw .misuse("outcome() before the search spent its \(simulations) simulations")
        }
        let root = nodes[0]
        let visits = childVisits(0), q = qValues(0)
        let mixed = PolicyImprovement.mixedValue(rawValue: root.rawValue, q: q, visits: visits, prior: root.prior!)
        let completed = PolicyImprovement.completedQ(q: q, visits: visits, mixedValue: mixed)
        let sigma = PolicyImprovement.sigma(
            PolicyImprovement.rescaled(completed), visits: visits, cVisit: cVisit, cScale: cScale)
        let chosen = bestRootScore(among: visits, visitCount: visits.max() ?? 0)
        let child = root.children[chosen]
        let childEvaluation =
            child >= 0 && !nodes[child].isTerminal
            ? LeafEvaluation(logits: nodes[child].logits, value: nodes[child].rawValue) : nil
        var below: KnownEvaluations = [:]
        let vertex = root.actions[chosen]
        for node in nodes.dropFirst() where node.path.count >= 2 && node.path[0] == vertex && !node.isTerminal {
            below[Array(node.path.dropFirst())] = LeafEvaluation(logits: node.logits, value: node.rawValue)
        }
        return Outcome(
            actions: root.actions, actionIndex: chosen,
            improvedPolicy: PolicyImprovement.improvedPolicy(logits: root.logits!, transformedQ: sigma),
            completedQ: completed, visits: visits, rootValue: root.rawValue, childEvaluation: childEvaluation,
            knownBelowChoice: below)
    }

    /// One whole search with `evaluator` (the lockstep driver with one search).
    public static func run(
        root: EliminationState, evaluation: LeafEvaluation? = nil, known: KnownEvaluations = [:],
        evaluator: LeafEvaluator, hp: AlphaZeroHyperparameters, rng: inout Xoshiro256StarStar
    ) throws -> Outcome {
        let rootEvaluation: LeafEvaluation
        if let evaluation, evaluation.logits != nil, evaluation.value != nil {
            rootEvaluation = evaluation
        } else {
            let answers = try evaluator.evaluate([root])
            guard answers.count == 1 else {
                throw AlphaZeroError.badEvaluation("\(answers.count) evaluations for 1 state")
            }
            rootEvaluation = answers[0]
        }
        var searches = [try GumbelSearch(root: root, evaluation: rootEvaluation, known: known, hp: hp, rng: &rng)]
        _ = try runLockstep(&searches, evaluator: evaluator)
        return try searches[0].outcome()
    }

    /// Runs searches to their budgets together: each wave collects the next request of every
    /// unfinished search and evaluates them in one call. Returns the waves and the requests.
    public static func runLockstep(
        _ searches: inout [GumbelSearch], evaluator: LeafEvaluator
    ) throws -> (waves: Int, requests: Int) {
        var waves = 0, requests = 0
        while true {
            var batch: [LeafRequest] = [], owners: [Int] = []
            for g in searches.indices where !searches[g].isComplete {
                if let request = try searches[g].nextLeaf() {
                    batch.append(request)
                    owners.append(g)
                }
            }
            if batch.isEmpty { return (waves, requests) }
            let answers = try evaluator.evaluate(batch)
            guard answers.count == batch.count else {
                throw AlphaZeroError.badEvaluation("\(answers.count) evaluations for \(batch.count) requests")
            }
            waves += 1
            requests += batch.count
            for (i, g) in owners.enumerated() { try searches[g].expandLeaf(with: answers[i]) }
        }
    }
}
