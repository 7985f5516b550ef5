// Plain-loop twins of the BLAS-backed kernels, used only by tests to check the optimised paths.

@testable import NeuralNet

/// out = inp · weightᵀ + bias by three nested loops.
func linearForwardNaive<S: KernelScalar>(
    out: UnsafeMutablePointer<S>, inp: UnsafePointer<S>, weight: UnsafePointer<S>, bias: UnsafePointer<S>?,
    N: Int, C: Int, OC: Int
) {
    for n in 0..<N {
        for o in 0..<OC {
            var s: S = bias?[o] ?? 0
            for c in 0..<C { s += inp[n * C + c] * weight[o * C + c] }
            out[n * OC + o] = s
        }
    }
}

/// The three gradients of `linearForwardNaive`, added in, by loops.
func linearBackwardNaive<S: KernelScalar>(
    dinp: UnsafeMutablePointer<S>, dweight: UnsafeMutablePointer<S>, dbias: UnsafeMutablePointer<S>,
    dout: UnsafePointer<S>, inp: UnsafePointer<S>, weight: UnsafePointer<S>, N: Int, C: Int, OC: Int
) {
    for n in 0..<N {
        for o in 0..<OC {
            let g = dout[n * OC + o]
            dbias[o] += g
            for c in 0..<C {
                dinp[n * C + c] += g * weight[o * C + c]
                dweight[o * C + c] += g * inp[n * C + c]
            }
        }
    }
}

/// Masked multi-head attention by loops, straight from the definition.
func attentionForwardNaive<S: KernelScalar>(
    out: UnsafeMutablePointer<S>, qkv: UnsafePointer<S>, keyMask: UnsafePointer<Bool>,
    B: Int, T: Int, NH: Int, HD: Int
) {
    let A = NH * HD
    let scale = 1 / S(HD).squareRoot()
    for b in 0..<B {
        for h in 0..<NH {
            for t in 0..<T {
                let q = qkv + (b * T + t) * 3 * A + h * HD
                var scores = [S](repeating: 0, count: T)
                var maxScore = -S.infinity
                for s in 0..<T where keyMask[b * T + s] {
                    let k = qkv + (b * T + s) * 3 * A + A + h * HD
                    var d: S = 0
                    for i in 0..<HD { d += q[i] * k[i] }
                    scores[s] = d * scale
                    maxScore = max(maxScore, scores[s])
                }
                var weights = [S](repeating: 0, count: T)
                if maxScore > -S.infinity {
                    var sum: S = 0
                    for s in 0..<T where keyMask[b * T + s] {
                        weights[s] = S.exp(scores[s] - maxScore)
                        sum += weights[s]
                    }
                    for s in 0..<T { weights[s] /= sum }
                }
                let y = out + (b * T + t) * A + h * HD
                for i in 0..<HD {
                    var acc: S = 0
                    for s in 0..<T {
                        acc += weights[s] * qkv[(b * T + s) * 3 * A + 2 * A + h * HD + i]
                    }
                    y[i] = acc
                }
            }
        }
    }
}
