import Console
import Elimination

/// Why a Jacobian could not be compiled or evaluated. Each case says what is wrong and where, so
/// the user can fix the graph, the order or the inputs; nothing is skipped silently.
public enum JacobianError: Error, Equatable, CustomStringConvertible {
    /// The elimination order is not a permutation of the eliminable vertices.
    case invalidOrder(GameError)
    /// A primitive, parameter or shape combination the interpreter cannot evaluate.
    case unsupported(vertex: Int, primitive: String, reason: String)
    /// Parameters or operand shapes that contradict the primitive (a damaged graph).
    case malformed(vertex: Int, primitive: String, reason: String)
    /// A custom_jvp_call whose `call_jaxpr` text cannot be read.
    case unreadableBody(vertex: Int, reason: String)
    case inputCount(expected: Int, given: Int)
    /// Input k (1-based) has the wrong number of values for `batch` samples.
    case inputSize(input: Int, name: String, shape: [Int], batch: Int, givenValues: Int)
    /// Closed-over constants have no values in a graph; they must be supplied.
    case constantsMissing(names: [String])
    case constantSize(constant: Int, name: String, expectedValues: Int, givenValues: Int)
    case invalidBatch(Int)
    /// An evaluation of `batch` samples would hold `bytes`, above `limit`; `largestBatch` fits.
    case batchTooLarge(batch: Int, bytes: Int, limit: Int, largestBatch: Int)
    /// More input and vertex scalars than the interpreter compiles (`CompiledJacobian.maxScalars`).
    case programTooLarge(scalars: Int, limit: Int)

    /// One printable line (PrintableText): names and reasons come from the graph file.
    public var description: String { PrintableText.escaped(text) }

    private static func bytes(_ n: Int) -> String {
        if n == .max { return "more than 8 EiB" }
        let gib = Double(n) / Double(1 << 30)
        return gib >= 1
            ? "\((gib * 10).rounded() / 10) GiB" : "\((Double(n) / Double(1 << 20) * 10).rounded() / 10) MiB"
    }

    private var text: String {
        switch self {
        case .invalidOrder(let e):
            return "invalid elimination order: \(e)"
        case .unsupported(let v, let p, let reason):
            return "vertex \(v) (\(p)): \(reason)"
        case .malformed(let v, let p, let reason):
            return "vertex \(v) (\(p)) is malformed: \(reason)"
        case .unreadableBody(let v, let reason):
            return
                "vertex \(v) (custom_jvp_call): cannot read the body text kept in its call_jaxpr parameter: \(reason)"
        case .inputCount(let expected, let given):
            return
                "the program takes \(expected) input\(expected == 1 ? "" : "s"), \(given) given: give one array per input variable, in order"
        case .inputSize(let k, let name, let shape, let batch, let given):
            let n = shape.reduce(1, *)
            let need =
                batch == 1
                ? "\(n) value\(n == 1 ? "" : "s")" : "\(n) per sample × \(batch) samples = \(n * batch) values"
            return "input \(k) ('\(name)') has shape \(shape) and needs \(need), \(given) given"
        case .constantsMissing(let names):
            return
                "the program closes over constants (\(names.joined(separator: ", "))) whose values neither the jaxpr text nor a graph file holds; give them with --constants FILE (one nested array per constant; Python/ccelim_jax.py writes the file)"
        case .constantSize(let k, let name, let expected, let given):
            return "constant \(k) ('\(name)') needs \(expected) values, \(given) given"
        case .invalidBatch(let b):
            return "batch size \(b) is invalid: give at least one sample"
        case .batchTooLarge(let b, let bytes, let limit, let largest):
            let fix = largest >= 1 ? "use a batch of at most \(largest)" : "not even one sample fits"
            return
                "a batch of \(b) samples needs \(Self.bytes(bytes)) for inputs, outputs, Jacobian blocks and the arena, above the limit of \(Self.bytes(limit)); \(fix)"
        case .programTooLarge(let scalars, let limit):
            return
                "the program has \(scalars) scalars in its inputs and vertices, more than the interpreter compiles (\(limit)); it works element by element"
        }
    }
}
