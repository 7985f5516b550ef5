import Foundation

// Helpers every benchmark shares: medians, the load average and the build configuration (the
// clocks, `monotonicSeconds`, `threadCPUSeconds` and `processCPUSeconds`, are Console's). The
// figures are medians of several runs; compare only figures measured in the same run.

/// The median of `xs` (the mean of the two middle values for an even count; NaN when empty).
public func median(_ xs: [Double]) -> Double {
    let s = xs.sorted()
    guard !s.isEmpty else { return .nan }
    return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}

/// `x` rounded to `1 / per` (per 1000: three decimals), as the JSON figures are.
public func rounded(_ x: Double, per: Double = 1000) -> Double { (x * per).rounded() / per }

/// "debug" or "release": the configuration this code was built in, printed with every figure.
#if DEBUG
public let buildConfiguration = "debug"
#else
public let buildConfiguration = "release"
#endif

/// The machine's 1-minute load average (runnable processes), rounded to hundredths; nil where the
/// OS does not say. Printed with figures measured on a shared machine.
public func loadAverage() -> Double? {
    var loads = [Double](repeating: -1, count: 1)
    return getloadavg(&loads, 1) == 1 ? rounded(loads[0], per: 100) : nil
}

/// Milliseconds `body` takes.
public func milliseconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
}

/// Keeps the optimiser from deleting a loop whose result is otherwise unused.
@inline(never) func blackHole(_ x: Int) {
    if x == Int.min { print("") }
}

/// The OpenBLAS kernels in use (BLASSetup may have chosen them), printed with BLAS-bound figures.
var blasCoreType: String { ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] ?? "auto" }

/// A benchmark that could not produce its figure: what failed, and why.
public struct BenchmarkError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
