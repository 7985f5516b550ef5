import Randomness

// Orthogonal initialisation (Saxe et al. 2014), the usual choice for PPO networks: a Gaussian
// matrix orthonormalised by Gram–Schmidt, times a gain. Orthonormal rows (or columns) keep the
// norm of signals and gradients through a layer at initialisation.

/// Fills `weight` (rows, cols) with a random matrix whose rows are orthonormal when rows <= cols
/// (so W Wᵀ = gain² I) and whose columns are orthonormal otherwise (Wᵀ W = gain² I).
/// Computed in Double, then rounded to `Scalar`.
public func orthogonalInitialize<Scalar: BinaryFloatingPoint>(
    _ weight: UnsafeMutablePointer<Scalar>,  // (rows, cols)
    rows: Int, cols: Int, gain: Double,
    rng: inout Xoshiro256StarStar
) {
    // Build k = min(rows, cols) orthonormal vectors of length n = max(rows, cols).
    let n = max(rows, cols), k = min(rows, cols)
    var basis: [[Double]] = []
    basis.reserveCapacity(k)
    while basis.count < k {
        var v = (0..<n).map { _ in rng.nextGaussian() }
        // Modified Gram–Schmidt, done twice: one pass loses orthogonality to rounding when the
        // Gaussian draw is nearly dependent; a second pass restores it to machine precision.
        for _ in 0..<2 {
            for u in basis {
                var dot = 0.0
                for i in 0..<n { dot += u[i] * v[i] }
                for i in 0..<n { v[i] -= dot * u[i] }
            }
        }
        var norm = 0.0
        for i in 0..<n { norm += v[i] * v[i] }
        norm = norm.squareRoot()
        // A (practically impossible) dependent draw would divide by ~0: draw again instead.
        guard norm > 1e-6 else { continue }
        basis.append(v.map { $0 / norm })
    }
    for r in 0..<rows {
        for c in 0..<cols {
            let value = rows <= cols ? basis[r][c] : basis[c][r]
            weight[r * cols + c] = Scalar(gain * value)
        }
    }
}
