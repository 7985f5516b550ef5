/// Outputs and Jacobian of a batch, in Double whatever the evaluation's precision.
public struct JacobianResult: Sendable {
    public let batch: Int
    public let inputShapes: [[Int]]
    public let outputShapes: [[Int]]
    /// outputs[o]: (B, output o's shape), sample-major.
    public let outputs: [[Double]]
    /// jacobian[o][k]: ∂output o/∂input k as (B, output o's shape, input k's shape), sample-major.
    public let jacobian: [[[Double]]]

    /// Output o of sample b, row-major.
    public func output(_ o: Int, sample b: Int) -> ArraySlice<Double> {
        let n = outputs[o].count / batch
        return outputs[o][b * n..<(b + 1) * n]
    }

    /// Block (o, k) of sample b, row-major over output shape + input shape.
    public func block(_ o: Int, _ k: Int, sample b: Int) -> ArraySlice<Double> {
        let n = jacobian[o][k].count / batch
        return jacobian[o][k][b * n..<(b + 1) * n]
    }

    /// Outputs and Jacobian entries that are NaN or infinite, over the whole batch.
    public var nonFiniteCount: Int {
        outputs.reduce(0) { $0 + $1.filter { !$0.isFinite }.count }
            + jacobian.reduce(0) { $0 + $1.reduce(0) { $0 + $1.filter { !$0.isFinite }.count } }
    }

    /// The largest |a − b| over the Jacobian entries of sample `b` of both results (NaN if either
    /// has a NaN where the other does not).
    public func maxJacobianDifference(to other: JacobianResult, sample b: Int = 0, otherSample: Int = 0) -> Double {
        var worst = 0.0
        for o in 0..<jacobian.count {
            for k in 0..<jacobian[o].count {
                for (x, y) in zip(block(o, k, sample: b), other.block(o, k, sample: otherSample)) {
                    if x.isNaN && y.isNaN { continue }
                    let d = Swift.abs(x - y)
                    if d.isNaN { return .nan }
                    worst = Swift.max(worst, d)
                }
            }
        }
        return worst
    }
}
