import Console
import Elimination
import Foundation
import Jacobian

/// The values of a program's closed-over constants, which a jaxpr's text names but does not print
/// (`{ lambda w:f64[3,2]; x:f64[2]. …`): `--constants FILE` of `ccelim jacobian` and `ccelim
/// codegen`. The file is one JSON array with one nested array per constant, in the program's order
/// (`ConstantNumbering`: the jaxpr's own, then those of nested bodies as they are printed, their
/// parameters taken by name), each in the constant's JAX shape; a scalar is a bare number, booleans
/// are 1 and 0, "NaN"/"Infinity" strings are accepted. `Python/ccelim_jax.py` writes it.
public enum JacobianConstants {
    /// Row-major values, one array per constant; empty when `path` is nil (the compiler then names
    /// the constants a program needs, if any).
    public static func load(_ path: String?, graph: ComputationalGraph) throws -> [[Double]] {
        guard let path else { return [] }
        let program = graph.program
        let constants = program.constants.indices.map {
            (name: program.constants[$0].name, type: program.jaxType(of: .constant($0 + 1)))
        }
        let names = constants.map { "\($0.name):\($0.type)" }.joined(separator: " ")
        guard let array = try JacobianInputs.parseJSON(path) as? [Any] else {
            throw failure("\(path): expected an array with one entry per constant (\(constants.count): \(names))")
        }
        guard array.count == constants.count else {
            let closesOver = constants.isEmpty ? "no constants" : "\(constants.count) constants (\(names))"
            throw failure("\(path): the program closes over \(closesOver), the file gives \(array.count)")
        }
        return try zip(array, constants).enumerated().map { k, pair in
            try NestedArray.values(
                pair.0, shape: pair.1.type.shape, what: "\(path): constant \(k + 1) ('\(pair.1.name)', \(pair.1.type))")
        }
    }

    private static func failure(_ message: String) -> TaskFileError { TaskFileError(PrintableText.escaped(message)) }
}
