/// How many iterations of a stochastic search fit a budget of seconds, measured rather than
/// guessed: probe runs double from `firstProbe` until one takes 5 % of the budget (at most
/// `maxProbeSeconds`), or until the next one, twice as long, would take the probes past half the
/// budget, so that a busy machine or a too-small first probe does not skew the rate and slow
/// iterations do not overrun a short budget; the last probe's rate then fills what is left (at
/// least one iteration). Only a first probe slower than half the budget
/// overruns it, so callers start small. The budget of `ccelim search`'s random greedy restarts
/// (annealing, whose temperature can follow the clock, needs no count: search11). `stop`, asked
/// after each probe, ends the probing early (an interrupt); the count is then at least 1.
public enum IterationBudget {
    /// The iterations, and the seconds the probes spent.
    public static func fit(
        seconds: Double, firstProbe: Int, maxProbeSeconds: Double, clock: () -> Double,
        stop: () -> Bool = { false }, probe: (Int) throws(SearchError) -> Void
    ) throws(SearchError) -> (count: Int, spent: Double) {
        var count = max(firstProbe, 1), probeSeconds = 0.0, spent = 0.0
        while true {
            let t0 = clock()
            try probe(count)
            probeSeconds = clock() - t0
            spent += probeSeconds
            if stop() { return (1, spent) }
            if probeSeconds >= min(0.05 * seconds, maxProbeSeconds) || spent + 2 * probeSeconds > seconds / 2 { break }
            count *= 2
        }
        let rate = Double(count) / max(probeSeconds, 1e-6)
        return (max(1, Int(rate * max(seconds - spent, 0))), spent)
    }
}
