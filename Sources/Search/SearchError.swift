import Elimination

/// Why a search refused to run or to return an order. Every case says what to do instead.
public enum SearchError: Error, Equatable, CustomStringConvertible {
    /// The exact search would need more memoised states than allowed.
    case tooManyStates(eliminable: Int, limit: Int)
    /// A budget or parameter that cannot work (zero iterations, a negative noise level, …).
    case invalidParameter(String)
    /// A search produced an order the game refuses: a bug in the search, reported rather than hidden.
    case invalidOrder(method: String, cause: GameError)
    /// The caller's stop condition (a time budget) held before the search ended: nothing it
    /// computed is returned, since a partial memo proves nothing.
    case stopped(method: String, expanded: Int)

    public var description: String {
        switch self {
        case .tooManyStates(let eliminable, let limit):
            let needed = eliminable <= 62 ? "\(1 << eliminable)" : "2^\(eliminable)"
            return
                "the exact search needs at least \(needed) memoised states (2^m for m = \(eliminable) vertices to order), "
                + "more than its limit of \(limit); use it on graphs with about 20 eliminable vertices or fewer, "
                + "raise the state limit, or use a heuristic (greedy, lookahead, anneal)"
        case .invalidParameter(let message):
            return message
        case .invalidOrder(let method, let cause):
            return "\(method) produced an invalid order (\(cause)); this is a bug in the search"
        case .stopped(let method, let expanded):
            return "\(method) was stopped by its budget after \(expanded) states, before its end; give it more time"
        }
    }
}
