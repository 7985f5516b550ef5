import Elimination
import Search

/// Why a bound could not be computed. Every case says what to do instead.
public enum BoundsError: Error, Equatable, CustomStringConvertible {
    /// The graph is not an all-dense-scalar graph (up to output copies, ScalarGraph), so the
    /// Markowitz-model search does not apply.
    case notScalar(graph: String, edge: String)
    /// An edge runs from a later vertex to an earlier one; the search needs ids in topological order.
    case notTopological(graph: String, source: Int, target: Int)
    /// The set-keyed search holds at most `VertexSet.capacity` (512) vertices.
    case tooManyVertices(graph: String, vertices: Int, limit: Int)
    /// A parameter that cannot work (non-positive seconds or state limit).
    case invalidParameter(String)
    /// A supplied upper-bound order is not an order of this graph.
    case invalidOrder(String, cause: GameError)
    /// A search used for the upper bound or the typed exact optimum failed.
    case search(SearchError)

    public var description: String {
        switch self {
        case .notScalar(let graph, let edge):
            return
                "\(graph) is not an all-dense-scalar graph (edge \(edge)); the branch and bound needs every edge to be type 1 with shape (1,1), or an output copy's identity"
        case .notTopological(let graph, let source, let target):
            return
                "\(graph): edge v\(source) → v\(target) goes backwards; vertex ids must follow the program order (rebuild the graph file)"
        case .tooManyVertices(let graph, let vertices, let limit):
            return
                "\(graph) has \(vertices) vertices, more than the \(limit) the set-keyed search can hold; bound a truncated graph (--truncate K)"
        case .invalidParameter(let message):
            return message
        case .invalidOrder(let what, let cause):
            return "\(what) is not a valid order of this graph (\(cause)); pass an order of the graph being bounded"
        case .search(let error):
            return error.description
        }
    }
}
