#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// symlog(x) = sign(x)·log(1 + |x|): value targets live here so that returns of 10 and 100,000
/// multiplications train the same network (the paper's choice).
@inline(__always) public func symlog(_ x: Float) -> Float {
    x < 0 ? -log1pf(-x) : log1pf(x)
}

/// The inverse of symlog.
@inline(__always) public func symexp(_ y: Float) -> Float {
    y < 0 ? -expm1f(-y) : expm1f(y)
}
