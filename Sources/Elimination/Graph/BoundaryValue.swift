/// A value at a program's boundary: what its caller passes in or gets back. Inputs and constants
/// are 1-based ids as in `Operand` (`in3`, `c2`); an output is its 1-based position in
/// `Program.outputs` (not its vertex, which a copy vertex may replace: ComputationalGraph.build).
/// `Program.jaxShapes` is keyed by it.
public enum BoundaryValue: Hashable, Sendable {
    case input(Int)
    case constant(Int)
    case output(Int)
}
