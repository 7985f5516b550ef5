#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// The arithmetic of one node's policy improvement (paper §4 and Appendix D; mctx's
/// `qtransform_completed_by_mix_value`), as pure functions over the node's legal actions so tests
/// can check each against a hand calculation. Values and Q are returns in cost units (≤ 0).
public enum PolicyImprovement {
    /// The floor of the min-max range (mctx's epsilon), so equal Q-values normalise to 0, not NaN.
    public static let rescaleEpsilon = 1e-8

    /// softmax(logits): the prior π.
    public static func softmax(_ logits: [Double]) -> [Double] {
        guard let top = logits.max() else { return [] }
        let e = logits.map { exp($0 - top) }
        let total = e.reduce(0, +)
        return e.map { $0 / total }
    }

    /// v_mix = (v̂ + ΣN · Σ_{visited} π(a)·q(a) / Σ_{visited} π(a)) / (1 + ΣN), the estimate that
    /// stands in for the Q of unvisited actions: the network's value v̂ mixed with the prior-weighted
    /// mean of the visited Q-values. With nothing visited it is v̂.
    public static func mixedValue(rawValue: Double, q: [Double], visits: [Int], prior: [Double]) -> Double {
        let totalVisits = Double(visits.reduce(0, +))
        var visitedProbability = 0.0, weighted = 0.0
        for a in q.indices where visits[a] > 0 {
            // mctx floors the prior at the smallest normal float so a visited action always counts.
            let p = max(prior[a], Double.leastNormalMagnitude)
            visitedProbability += p
            weighted += p * q[a]
        }
        let visitedMean = visitedProbability > 0 ? weighted / visitedProbability : 0
        return (rawValue + totalVisits * visitedMean) / (totalVisits + 1)
    }

    /// completedQ(a) = q(a) if a was visited, else v_mix.
    public static func completedQ(q: [Double], visits: [Int], mixedValue: Double) -> [Double] {
        q.indices.map { visits[$0] > 0 ? q[$0] : mixedValue }
    }

    /// Min-max normalisation to [0, 1] over the node's actions: (q − min) / max(max − min, ε).
    public static func rescaled(_ q: [Double]) -> [Double] {
        guard let low = q.min(), let high = q.max() else { return [] }
        let range = max(high - low, rescaleEpsilon)
        return q.map { ($0 - low) / range }
    }

    /// σ(q̂) = (c_visit + max_b N(b)) · c_scale · q̂ on normalised q̂.
    public static func sigma(_ normalised: [Double], visits: [Int], cVisit: Double, cScale: Double) -> [Double] {
        let scale = (cVisit + Double(visits.max() ?? 0)) * cScale
        return normalised.map { scale * $0 }
    }

    /// σ(completedQ) of a node, the whole chain: mixed value, completion, min-max, σ.
    public static func transformedQ(
        rawValue: Double, q: [Double], visits: [Int], prior: [Double], cVisit: Double, cScale: Double
    ) -> [Double] {
        let mixed = mixedValue(rawValue: rawValue, q: q, visits: visits, prior: prior)
        let completed = completedQ(q: q, visits: visits, mixedValue: mixed)
        return sigma(rescaled(completed), visits: visits, cVisit: cVisit, cScale: cScale)
    }

    /// π' = softmax(logits + σ(completedQ)): the improved policy, the training target.
    public static func improvedPolicy(logits: [Double], transformedQ: [Double]) -> [Double] {
        softmax(zip(logits, transformedQ).map { $0 + $1 })
    }

    /// mctx's deterministic interior choice: argmax_a π'(a) − N(a) / (1 + ΣN); ties go to the
    /// first action.
    public static func interiorChoice(improvedPolicy: [Double], visits: [Int]) -> Int {
        let total = Double(visits.reduce(0, +))
        var best = 0, bestScore = -Double.infinity
        for a in improvedPolicy.indices {
            let score = improvedPolicy[a] - Double(visits[a]) / (1 + total)
            if score > bestScore { best = a; bestScore = score }
        }
        return best
    }
}
