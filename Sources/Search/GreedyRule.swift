import Elimination

/// What a greedy step minimises (the vertex-elimination heuristics of the ANGEL library).
public enum GreedyCriterion: String, CaseIterable, Sendable {
    /// The reference's weighted Markowitz degree (COST_MODEL.md §4): in-weight × out-weight.
    case markowitz
    /// ANGEL's relative Markowitz degree: |pred(v)|·|succ(v)| − |inputs reaching v|·|outputs v
    /// reaches|. It prefers vertices whose degree is high only because the whole Jacobian block
    /// behind them is dense anyway (a product that must be paid in any order).
    case relativeMarkowitz = "relative-markowitz"
    /// The true cost of eliminating v now (EliminationState.previewCost): exact under the paper's
    /// model, including the savings of sparse (diagonal, Kronecker) edges that degrees ignore.
    case stepCost = "cost-now"
}

/// Which of several equally good vertices a greedy step takes: the lowest id (forward-like) or
/// the highest (reverse-like). ANGEL composes heuristics the same way, forward/reverse last.
public enum TieBreak: String, CaseIterable, Sendable {
    case forward = "fwd"
    case reverse = "rev"

    /// The eliminable vertices in the order that makes "first strictly smaller wins" this tie-break.
    func scanOrder(_ spec: GameSpec) -> [Int] {
        self == .forward ? spec.eliminable : spec.eliminable.reversed()
    }
}

public struct GreedyRule: Sendable, Equatable {
    public var criterion: GreedyCriterion
    public var tieBreak: TieBreak

    public init(_ criterion: GreedyCriterion, _ tieBreak: TieBreak) {
        self.criterion = criterion
        self.tieBreak = tieBreak
    }

    /// `markowitz-fwd`, `cost-now-rev`, …
    public var name: String { "\(criterion.rawValue)-\(tieBreak.rawValue)" }

    public static var all: [GreedyRule] {
        GreedyCriterion.allCases.flatMap { c in TieBreak.allCases.map { GreedyRule(c, $0) } }
    }
}

/// Scores a vertex under a criterion in the current state; holds what the criteria precompute.
struct GreedyScorer {
    let reach: ReachCounts

    init(spec: GameSpec) {
        reach = ReachCounts(spec: spec)
    }

    func score(_ criterion: GreedyCriterion, _ v: Int, in state: EliminationState) -> Int {
        switch criterion {
        case .markowitz:
            return state.markowitzDegree(v)
        case .relativeMarkowitz:
            let (inDegree, outDegree) = state.degrees(of: v)
            let degree = inDegree * outDegree
            return degree - reach.inputsReaching[v - 1] * reach.outputsReached[v - 1]
        case .stepCost:
            return state.previewCost(v)
        }
    }
}
