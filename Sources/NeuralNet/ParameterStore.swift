// The four flat Float buffers of one `ParameterLayout`: parameters, gradients, and Adam's first
// and second moments. Gradients are zeroed here and only here (`zeroGradients`); every backward
// kernel adds into them.

public final class ParameterStore {
    public let layout: ParameterLayout
    public let parameters: UnsafeMutablePointer<Float>  // (layout.count)
    public let gradients: UnsafeMutablePointer<Float>  // (layout.count)
    /// Adam's running mean of gradients.
    public let firstMoment: UnsafeMutablePointer<Float>  // (layout.count)
    /// Adam's running mean of squared gradients.
    public let secondMoment: UnsafeMutablePointer<Float>  // (layout.count)
    /// Number of Adam steps taken, for bias correction; saved with the moments in checkpoints.
    public var step = 0

    /// Allocates the buffers with every number zero (initialise the parameters afterwards).
    public init(layout: ParameterLayout) {
        self.layout = layout
        let n = max(layout.count, 1)
        func zeros() -> UnsafeMutablePointer<Float> {
            let p = UnsafeMutablePointer<Float>.allocate(capacity: n)
            p.initialize(repeating: 0, count: n)
            return p
        }
        parameters = zeros()
        gradients = zeros()
        firstMoment = zeros()
        secondMoment = zeros()
    }

    deinit {
        parameters.deallocate()
        gradients.deallocate()
        firstMoment.deallocate()
        secondMoment.deallocate()
    }

    public var count: Int { layout.count }

    /// Weights and Adam's state as plain arrays: what a checkpoint stores, or a copy to go back to.
    public struct OptimizerState: Sendable {
        public var parameters: [Float]
        public var firstMoment: [Float]
        public var secondMoment: [Float]
        public var step: Int

        public init(parameters: [Float], firstMoment: [Float], secondMoment: [Float], step: Int) {
            self.parameters = parameters
            self.firstMoment = firstMoment
            self.secondMoment = secondMoment
            self.step = step
        }
    }

    public func optimizerState() -> OptimizerState {
        func array(_ p: UnsafeMutablePointer<Float>) -> [Float] { Array(UnsafeBufferPointer(start: p, count: count)) }
        return OptimizerState(
            parameters: array(parameters), firstMoment: array(firstMoment), secondMoment: array(secondMoment),
            step: step)
    }

    /// Overwrites weights and Adam's state; the arrays must have `count` numbers each.
    public func load(_ state: OptimizerState) {
        precondition(
            state.parameters.count == count && state.firstMoment.count == count && state.secondMoment.count == count,
            "optimizer state of \(state.parameters.count) numbers for a store of \(count)")
        state.parameters.withUnsafeBufferPointer { parameters.update(from: $0.baseAddress!, count: count) }
        state.firstMoment.withUnsafeBufferPointer { firstMoment.update(from: $0.baseAddress!, count: count) }
        state.secondMoment.withUnsafeBufferPointer { secondMoment.update(from: $0.baseAddress!, count: count) }
        step = state.step
    }

    public func zeroGradients() {
        gradients.update(repeating: 0, count: layout.count)
    }

    /// Scales the gradients so that their global L2 norm is at most `maxNorm`; returns the norm
    /// before clipping (worth logging).
    @discardableResult
    public func clipGradients(maxNorm: Float) -> Float {
        clipGlobalNorm(gradients: gradients, count: layout.count, maxNorm: maxNorm)
    }

    /// One Adam step on every parameter with learning rate `lr` (the caller owns the schedule).
    public func adamStep(lr: Float, config: AdamConfig) {
        step += 1
        NeuralNet.adamStep(
            parameters: parameters, gradients: gradients,
            firstMoment: firstMoment, secondMoment: secondMoment,
            count: layout.count, step: step, lr: lr, config: config)
    }
}
