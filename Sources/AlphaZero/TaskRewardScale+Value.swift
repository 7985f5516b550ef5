import Elimination
import PPO

/// AlphaZero's value network learns every return in `TaskRewardScale`'s units, one task or many:
/// minus the multiplications still to pay in percent of the task's best baseline (forward,
/// reverse, minimal Markowitz), so a whole game is about −100 on every graph — what imitation
/// pretraining taught the shipped generalist's value head (ExpertPretraining), so a run started
/// from it (`--init`) keeps its value head's meaning. The replay buffer multiplies its returns by
/// the factor (`ReplayBuffer.batch`) and the search divides the value back into multiplications
/// (`NetworkLeafEvaluator`). Raw returns reach −10⁴ on f, whose symlog targets span twice the range
/// of RoeFlux_1d's; scaled, every task's targets span the same range.
extension TaskRewardScale {
    /// The factor of `spec`'s returns (100 / its best baseline cost; 1 when that is 0).
    public static func factor(of spec: GameSpec) -> Float {
        factor(reference: BaselineSummary(spec: spec).best)
    }
}
