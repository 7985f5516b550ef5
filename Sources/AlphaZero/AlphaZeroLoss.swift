/// The value half of the AlphaZero loss for one example, as a pure function (generic so the
/// tests can check it against finite differences in Double): valueCoef · (v − symlog(R))², with
/// v the value network's output (symlog space) and y = symlog(R) the target. Returns the loss and
/// d loss / d v. The policy half is cross-entropy(π', softmax(logits)), the NeuralNet kernels
/// `crossEntropyForward` / `crossEntropyBackward` over `maskedLogSoftmaxForward`.
@inlinable
public func alphaZeroValueLoss<S: BinaryFloatingPoint>(value v: S, target y: S, coef: S) -> (loss: S, dValue: S) {
    (coef * (v - y) * (v - y), 2 * coef * (v - y))
}
