import Elimination
import Randomness

/// A local change to an order. Each move rearranges the positions `lo…hi` only, so the prefix
/// before `lo` and the SET of vertices in positions 0…hi stay as they were.
enum OrderMove: Equatable {
    /// Exchange the vertices at two positions.
    case swap(Int, Int)
    /// Take the vertex at `from` out and put it back at `to` (the others shift by one).
    case move(from: Int, to: Int)
    /// Reverse the segment lo…hi.
    case reverse(Int, Int)

    var range: ClosedRange<Int> {
        switch self {
        case .swap(let a, let b), .move(let a, let b), .reverse(let a, let b): return min(a, b)...max(a, b)
        }
    }

    func apply(to order: inout [Int]) {
        switch self {
        case .swap(let a, let b):
            order.swapAt(a, b)
        case .move(let from, let to):
            let v = order.remove(at: from)
            order.insert(v, at: to)
        case .reverse(let a, let b):
            order[min(a, b)...max(a, b)].reverse()
        }
    }

    /// A random move on an order of `count` positions (count ≥ 2). Most moves are short (span
    /// ≤ maxShortSpan) because good orders are already locally good; one in five is long: anywhere
    /// on an order of at most `maxLongSpan` positions, else a span up to `maxLongSpan` (the work of
    /// scoring a move grows with its span).
    static func random(count: Int, maxShortSpan: Int, maxLongSpan: Int = .max, rng: inout SplitMix64) -> OrderMove {
        let a = Int(rng.next() % UInt64(count))
        var b: Int
        if rng.next() % 5 == 0 {
            if count <= maxLongSpan {
                b = Int(rng.next() % UInt64(count))
            } else {
                let span = 1 + Int(rng.next() % UInt64(max(maxLongSpan, 1)))
                b = rng.next() & 1 == 0 ? a + span : a - span
                b = min(max(b, 0), count - 1)
            }
        } else {
            let span = 1 + Int(rng.next() % UInt64(max(maxShortSpan, 1)))
            b = rng.next() & 1 == 0 ? a + span : a - span
            b = min(max(b, 0), count - 1)
        }
        if b == a { b = a == 0 ? 1 : a - 1 }
        switch rng.next() % 3 {
        case 0: return .swap(a, b)
        case 1: return .move(from: a, to: b)
        default: return .reverse(a, b)
        }
    }
}
