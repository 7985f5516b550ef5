/// The point `ccelim jacobian` evaluates a program at when no point is given (nor a sample point in
/// Datasets): each input element `low + width · u`, u uniform in [0, 1) from SplitMix64(seed: 1)
/// (TaskFiles' `JacobianInputs`). `ccelim generate --preset scalar` keeps its programs finite on
/// [low, low + width] (`ValueRange.inputs`), so both read these constants.
public enum DefaultPoint {
    public static let low = 0.2
    public static let width = 0.6
    /// One element of the point for a uniform draw u ∈ [0, 1).
    public static func value(_ u: Double) -> Double { low + width * u }
}
