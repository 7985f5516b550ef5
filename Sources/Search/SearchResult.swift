import Elimination

/// The best order one method found, with the cost the game gives it. `evaluations` counts the
/// orders (full or partial) the method scored, so runs of different methods can be compared.
public struct SearchResult: Sendable, Equatable {
    public var method: String
    public var order: [Int]
    public var cost: Int
    public var evaluations: Int

    public init(method: String, order: [Int], cost: Int, evaluations: Int) {
        self.method = method
        self.order = order
        self.cost = cost
        self.evaluations = evaluations
    }

    /// Replays `order` from the initial graph: the cost no search's bookkeeping can get wrong.
    public static func rescored(
        method: String, order: [Int], evaluations: Int, on spec: GameSpec
    ) throws(SearchError) -> SearchResult {
        do {
            let scored = try Baselines.score(order, on: spec)
            return SearchResult(method: method, order: order, cost: scored.cost, evaluations: evaluations)
        } catch {
            throw .invalidOrder(method: method, cause: error)
        }
    }
}
