// Residual connection: out = a + b, elementwise over `count` numbers.

/// out = a + b. Overwrites `out`.
@inlinable
public func residualForward<Scalar: KernelScalar>(
    out: UnsafeMutablePointer<Scalar>,  // (count)
    a: UnsafePointer<Scalar>,  // (count)
    b: UnsafePointer<Scalar>,  // (count)
    count: Int
) {
    for i in 0..<count { out[i] = a[i] + b[i] }
}

/// Adds dout into both branches: the derivative of a + b is 1 for each.
@inlinable
public func residualBackward<Scalar: KernelScalar>(
    da: UnsafeMutablePointer<Scalar>,  // (count)
    db: UnsafeMutablePointer<Scalar>,  // (count)
    dout: UnsafePointer<Scalar>,  // (count)
    count: Int
) {
    for i in 0..<count {
        da[i] += dout[i]
        db[i] += dout[i]
    }
}
