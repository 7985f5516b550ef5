/// Why an action or an order was refused. Orders are checked before anything is scored.
public enum GameError: Error, Equatable, CustomStringConvertible {
    case unknownVertex(Int, vertexCount: Int)
    case outputVertex(Int)
    case alreadyEliminated(Int)
    case repeated(Int, position: Int)
    case incomplete(missing: [Int])

    public var description: String {
        switch self {
        case .unknownVertex(let v, let n):
            return "vertex \(v) does not exist: vertex ids run from 1 to \(n)"
        case .outputVertex(let v):
            return "vertex \(v) is an output: outputs are never eliminated"
        case .alreadyEliminated(let v):
            return "vertex \(v) is already eliminated"
        case .repeated(let v, let position):
            return "vertex \(v) appears twice in the order (again at position \(position))"
        case .incomplete(let missing):
            let shown = missing.prefix(10).map(String.init).joined(separator: ",")
            return
                "the order is incomplete: \(missing.count) eliminable vertices are missing (\(shown)\(missing.count > 10 ? ",…" : ""))"
        }
    }
}
