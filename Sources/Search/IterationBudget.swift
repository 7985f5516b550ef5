/// How many iterations of a stochastic search fit a budget of seconds, measured rather than
/// guessed: probe runs double from `firstProbe` until one takes 5 % of the budget (at most
/// `maxProbeSeconds`) or the probes have used half of it, so that a busy machine or a too-small
/// first probe does not skew the rate; the last probe's rate then fills what is left, split over
/// `parts` runs. The one budget rule of `ccelim search` and `ccelim optimize`.
public enum IterationBudget {
    /// The iterations per part, and the seconds the probes spent.
    public static func fit(
        seconds: Double, firstProbe: Int, maxProbeSeconds: Double, parts: Int = 1, clock: () -> Double,
        probe: (Int) throws(SearchError) -> Void
    ) throws(SearchError) -> (count: Int, spent: Double) {
        var count = firstProbe, probeSeconds = 0.0, spent = 0.0
        while true {
            let t0 = clock()
            try probe(count)
            probeSeconds = clock() - t0
            spent += probeSeconds
            if probeSeconds >= min(0.05 * seconds, maxProbeSeconds) || spent >= seconds / 2 { break }
            count *= 2
        }
        let rate = Double(count) / max(probeSeconds, 1e-6)
        return (max(count, Int(rate * max(seconds - spent, 0) / Double(max(parts, 1)))), spent)
    }
}
