// Global-norm gradient clipping: if the L2 norm of all gradients together exceeds maxNorm, scale
// them all by the same factor, keeping the update's direction (PPO uses maxNorm 0.5).

/// Clips in place and returns the norm before clipping. The sum of squares is taken in Double
/// so that hundreds of thousands of small squares do not lose precision.
@discardableResult
public func clipGlobalNorm(
    gradients: UnsafeMutablePointer<Float>,  // (count)
    count: Int, maxNorm: Float
) -> Float {
    var sumOfSquares = 0.0
    for i in 0..<count { sumOfSquares += Double(gradients[i]) * Double(gradients[i]) }
    let norm = sumOfSquares.squareRoot()
    if norm > Double(maxNorm) {
        // PyTorch's clip_grad_norm_ adds 1e-6 so the clipped norm lands just under maxNorm.
        let scale = Float(Double(maxNorm) / (norm + 1e-6))
        for i in 0..<count { gradients[i] *= scale }
    }
    return Float(norm)
}
