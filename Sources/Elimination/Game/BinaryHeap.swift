/// A binary min-heap: `pop` returns the element that comes first by `Element`'s `<` (ties in any
/// order, so give `<` a tie-break where the order matters). The one priority queue of the package:
/// the greedy rules' `LocalGreedy` and the bounds' A* open list both use it. Inlinable, so it is
/// specialised in the modules that use it.
public struct BinaryHeap<Element: Comparable> {
    @usableFromInline var items: [Element] = []

    @inlinable public init() {}

    @inlinable public var count: Int { items.count }
    @inlinable public var isEmpty: Bool { items.isEmpty }
    /// The element `pop` would return.
    @inlinable public var min: Element? { items.first }

    @inlinable public mutating func reserve(_ n: Int) { items.reserveCapacity(n) }

    @inlinable public mutating func push(_ element: Element) {
        items.append(element)
        var i = items.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard items[i] < items[parent] else { break }
            items.swapAt(i, parent)
            i = parent
        }
    }

    @inlinable public mutating func pop() -> Element? {
        guard let first = items.first else { return nil }
        let last = items.removeLast()
        if !items.isEmpty {
            items[0] = last
            var i = 0
            while true {
                let l = 2 * i + 1, r = l + 1
                var m = i
                if l < items.count && items[l] < items[m] { m = l }
                if r < items.count && items[r] < items[m] { m = r }
                if m == i { break }
                items.swapAt(i, m)
                i = m
            }
        }
        return first
    }
}
