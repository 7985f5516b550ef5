import ArgumentParser
import Bounds
import Console

/// The options `ccelim bound` and `ccelim bench bound` share: how the lower bound is searched
/// (group sizes, bnb or ilp, the solver's hidden knobs). One place checks them and puts them into a
/// `BoundRun`, so the two commands cannot drift apart.
struct BoundSearchOptions: ParsableArguments {
    @Option(
        help:
            "Largest group of adjacent vertices whose orders the start bound solves exactly (2^k·k cut pairs each; 0 = none)."
    ) var groupSize = OptimalOrderSearch.Config().startGroupSize
    @Option(
        help: "Largest group the start bound forms by merging adjacent groups (0 = no merging; at most 20)."
    ) var mergeSize = OptimalOrderSearch.Config().startMergeSize
    @Option(
        help:
            "Most adjacent groups the start bound merges at once, tried only when no fewer gain (2 = pairs only, the merge before session 37; at most 4)."
    ) var mergeParts = OptimalOrderSearch.Config().startMergeParts
    @Option(
        help:
            "Largest group of GroupBound at every A* state (2 = pairs; larger: stronger, dearer per state)."
    ) var stateGroupSize = OptimalOrderSearch.Config().stateGroupSize
    @Option(help: "Largest merged group at every A* state (0 = no merging).") var stateMergeSize =
        OptimalOrderSearch.Config().stateMergeSize
    @Flag(
        help:
            "Also pack the start groups fractionally (the packing LP, solved by CBC) and carry the weights to every state."
    ) var fractionalPacking = false
    @Option(
        help:
            "After the start groups, split on precedences between them for at most N nodes, each group re-solved with its known predecessors (0 = off; default 1000000: until the budget ends or the split closes)."
    ) var precedenceSplit = OptimalOrderSearch.Config().precedenceSplitNodes
    @Flag(
        help:
            "In every group's terms, treat the group's members still to go as path ends (stronger, slower)."
    ) var remainingEnds = false
    @Flag(
        inversion: .prefixedNo,
        help:
            "In the precedence split, vertices known to go after a vertex are path ends of its cut term (sees fill-in; on by default)."
    ) var splitEnds = OptimalOrderSearch.Config().splitPathEnds
    @Option(
        help:
            "Draw the precedence split's pairs around the groups where the best order pays more than their bound, within R steps, or `edges`: the edges between groups (default 3)."
    ) var splitFocus = OptimalOrderSearch.Config().splitFocusRadius.map(String.init) ?? "edges"
    @Flag(
        help:
            "Split first on the pairs that close the best order's own leaf (its order on the fewest vertices near the slack groups that lifts the split's bound to its cost)."
    ) var splitGuided = false
    @Flag(
        inversion: .prefixedNo,
        help:
            "Guide every open leaf of the split: a good order respecting its precedences, whose fewest precedences that lift the leaf to the best cost are split first (a cheaper guide becomes the best order; on by default)."
    ) var splitLeafGuides = OptimalOrderSearch.Config().splitLeafGuides
    @Option(help: ArgumentHelp("Elimination steps each leaf guide's descent may replay.", visibility: .hidden))
    var guideWork = OptimalOrderSearch.Config().guideWork
    @Option(
        help:
            "Pairs tried exactly per precedence split (strong branching; default 1: the first pair, the leaf guide's where there is one)."
    )
    var splitCandidates =
        OptimalOrderSearch.Config().splitCandidates
    @Option(
        help:
            "Threads that share the precedence split's open leaves (default 1). With more than one, --clock cpu counts the CPU time of the whole process (every thread), so the same --seconds is the same work. Each thread keeps its own caches (each with a ceiling), so memory grows with the threads."
    ) var threads = OptimalOrderSearch.Config().splitThreads
    @Option(
        help: ArgumentHelp(
            "Radii R1,R2,…: the split's bound with the vertices within R steps of the slack groups ordered as the best order orders them (a note per radius).",
            visibility: .hidden)
    ) var splitProbe: String?
    @Option(
        help:
            "How scalar graphs are bounded: bnb (A* over eliminated sets) or ilp (the integer program, solved by CBC)."
    ) var method = BoundRun.Method.bnb.rawValue
    @Option(help: ArgumentHelp("CBC's log level (written to stdout; 0 = silent).", visibility: .hidden)) var cbcLog = 0
    @Flag(help: ArgumentHelp("Add the transitivity rows to the integer program.", visibility: .hidden))
    var transitivity = false
    @Option(
        parsing: .singleValue,
        help: ArgumentHelp("A CBC parameter NAME=VALUE (repeatable), e.g. feas=off.", visibility: .hidden)
    ) var cbcParameter: [String] = []

    /// Checks every option (a bad one exits 1 with the reason, like a bad program) and sets them on `run`.
    /// The clock of `--clock cpu`: this thread's CPU time, or the whole process's with `--threads` > 1
    /// (a thread's own CPU clock means nothing to the others).
    var cpuClock: () -> Double { threads > 1 ? processCPUSeconds : threadCPUSeconds }

    func configure(_ run: inout BoundRun) throws(CLIError) {
        guard (0...12).contains(groupSize) else { throw CLIError("--group-size must be in 0...12, got \(groupSize)") }
        guard (0...20).contains(mergeSize) else { throw CLIError("--merge-size must be in 0...20, got \(mergeSize)") }
        guard (2...4).contains(mergeParts) else { throw CLIError("--merge-parts must be in 2...4, got \(mergeParts)") }
        guard (2...8).contains(stateGroupSize) else {
            throw CLIError("--state-group-size must be in 2...8, got \(stateGroupSize)")
        }
        guard (0...12).contains(stateMergeSize) else {
            throw CLIError("--state-merge-size must be in 0...12, got \(stateMergeSize)")
        }
        guard let method = BoundRun.Method(rawValue: method) else {
            throw CLIError("--method must be bnb or ilp, got \(self.method)")
        }
        run.method = method
        run.solverLogLevel = cbcLog
        run.transitivity = transitivity
        run.solverParameters = cbcParameter.map {
            let parts = $0.split(separator: "=", maxSplits: 1).map(String.init)
            return (parts[0], parts.count > 1 ? parts[1] : "")
        }
        run.startGroupSize = groupSize
        run.startMergeSize = mergeSize
        run.startMergeParts = mergeParts
        run.stateGroupSize = stateGroupSize
        run.stateMergeSize = stateMergeSize
        run.fractionalStart = fractionalPacking
        guard precedenceSplit >= 0 else { throw CLIError("--precedence-split must be ≥ 0, got \(precedenceSplit)") }
        run.precedenceSplitNodes = precedenceSplit
        run.remainingEnds = remainingEnds
        let focus: Int?
        if splitFocus == "edges" {
            focus = nil
        } else if let radius = Int(splitFocus), radius >= 0 {
            focus = radius
        } else {
            throw CLIError("--split-focus must be a radius ≥ 0 or `edges`, got \(splitFocus)")
        }
        guard splitCandidates >= 1 else { throw CLIError("--split-candidates must be ≥ 1, got \(splitCandidates)") }
        run.splitPathEnds = splitEnds
        run.splitFocusRadius = focus
        run.splitCandidates = splitCandidates
        guard (1...64).contains(threads) else { throw CLIError("--threads must be 1 to 64, got \(threads)") }
        run.splitThreads = threads
        run.splitGuided = splitGuided
        guard guideWork >= 1 else { throw CLIError("--guide-work must be ≥ 1, got \(guideWork)") }
        run.splitLeafGuides = splitLeafGuides
        run.guideWork = guideWork
        if let splitProbe {
            let radii = splitProbe.split(separator: ",").map { Int($0) }
            guard radii.allSatisfy({ ($0 ?? -1) >= 0 }) else {
                throw CLIError("--split-probe must be radii ≥ 0 separated by commas, got \(splitProbe)")
            }
            run.splitProbeRadii = radii.map { $0! }
        }
    }
}
