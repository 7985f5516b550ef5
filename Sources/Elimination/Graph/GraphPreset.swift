/// The kinds of program `ccelim generate --preset NAME` writes: today's random scalar DAGs and the
/// structured programs of `StructuredGraphs`. Every preset is deterministic in its seed and
/// produces exactly the requested number of equations (the random scalar preset adds a copy vertex
/// per output that a later equation reads, as the importer does).
public enum GraphPreset: String, CaseIterable, Sendable {
    case scalar, blocks, rk4, stencil1d, stencil2d, reduction, mixed

    /// One line for `--help` and the graph file's note.
    public var summary: String {
        switch self {
        case .scalar: return "random scalar DAG like RoeFlux_1d or g"
        case .blocks: return "a random 20-op residual block over 4 lanes, repeated"
        case .rk4: return "unrolled RK4 steps of a random 3-state ODE"
        case .stencil1d: return "reaction-diffusion steps on a row of 4-64 cells"
        case .stencil2d: return "5-point reaction-diffusion steps, periodic grid"
        case .reduction: return "map, sum-tree, normalise layers over 4-32 lanes"
        case .mixed: return "tensor layers: dot_general, reduce_sum, transpose"
        }
    }

    /// The fewest equations the preset can write (one whole unit and its inputs' setup).
    public var minimumEquations: Int {
        switch self {
        case .scalar: return 2
        case .rk4: return 120
        case .blocks, .stencil1d, .stencil2d, .reduction, .mixed: return 50
        }
    }

    /// A program of exactly `equations` equations. `inputs` and `outputs` shape the scalar preset
    /// only (the structured ones fix them by their structure); preconditions as
    /// `RandomGraphs.scalar` for it, and `equations >= minimumEquations` for every preset.
    public func generate(equations: Int, seed: UInt64, inputs: Int = 6, outputs: Int = 3) -> ComputationalGraph {
        precondition(equations >= minimumEquations, "\(rawValue) needs at least \(minimumEquations) equations")
        switch self {
        case .scalar: return RandomGraphs.scalar(seed: seed, inputs: inputs, equations: equations, outputs: outputs)
        case .blocks: return StructuredGraphs.blocks(equations: equations, seed: seed)
        case .rk4: return StructuredGraphs.rk4(equations: equations, seed: seed)
        case .stencil1d: return StructuredGraphs.stencil1d(equations: equations, seed: seed)
        case .stencil2d: return StructuredGraphs.stencil2d(equations: equations, seed: seed)
        case .reduction: return StructuredGraphs.reduction(equations: equations, seed: seed)
        case .mixed: return StructuredGraphs.mixed(equations: equations, seed: seed)
        }
    }
}
