import Elimination

/// Small real graphs for the exact search: the first K equations of a program, as a program of
/// its own. Its outputs are the original outputs among them and every value a later equation
/// reads, so it is the part of the full graph a prefix of a (forward-like) order works on.
public enum GraphTruncation {
    public static func prefix(_ graph: ComputationalGraph, equations k: Int) throws(SearchError) -> ComputationalGraph {
        let program = graph.program
        guard k >= 1 && k <= program.equations.count else {
            throw .invalidParameter("--truncate must be between 1 and \(program.equations.count) equations, got \(k)")
        }
        var isOutput = Set(program.outputs.filter { $0 <= k })
        for eq in program.equations.dropFirst(k) {
            for case .vertex(let v) in eq.operands where v <= k { isOutput.insert(v) }
        }
        // Inputs and constants keep their JAX shapes; the outputs are new (their stored shapes).
        let truncated = Program(
            inputs: program.inputs, constants: program.constants,
            equations: Array(program.equations.prefix(k)), outputs: isOutput.sorted(),
            jaxShapes: program.jaxShapes.filter {
                if case .output = $0.key { return false }
                return true
            })
        do {
            return try ComputationalGraph.build(name: "\(graph.name)[1…\(k)]", program: truncated)
        } catch {
            // The equations built once already; failing again means the program was changed.
            throw .invalidParameter("cannot rebuild the first \(k) equations of \(graph.name): \(error)")
        }
    }
}
