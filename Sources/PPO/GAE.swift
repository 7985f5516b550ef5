/// Generalised advantage estimation over one episode (it always ends in a terminal state: the
/// graph is fully eliminated, so the value after the last step is 0).
///   δ_t = r_t + γ V_{t+1} − V_t,   A_t = δ_t + γλ A_{t+1},   return_t = A_t + V_t
/// `values` are in real space (symexp of the network's output).
public func generalizedAdvantages(
    rewards: [Float], values: [Float], gamma: Float, lambda: Float
) -> (advantages: [Float], returns: [Float]) {
    let L = rewards.count
    var advantages = [Float](repeating: 0, count: L)
    var next: Float = 0
    var nextValue: Float = 0
    for t in stride(from: L - 1, through: 0, by: -1) {
        let delta = rewards[t] + gamma * nextValue - values[t]
        next = delta + gamma * lambda * next
        advantages[t] = next
        nextValue = values[t]
    }
    let returns = zip(advantages, values).map { $0 + $1 }
    return (advantages, returns)
}
