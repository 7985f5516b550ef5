/// The open list of OptimalOrderSearch: a binary min-heap of (f, g, state) keyed by f, ties to the
/// larger g (deeper states first, so goals are reached sooner at equal bound).
struct StateHeap {
    struct Item {
        var f: Int32
        var g: Int32
        var state: Int32
    }

    private var items: [Item] = []

    var count: Int { items.count }
    var isEmpty: Bool { items.isEmpty }
    var min: Item? { items.first }

    @inline(__always) private static func before(_ a: Item, _ b: Item) -> Bool {
        a.f < b.f || (a.f == b.f && a.g > b.g)
    }

    mutating func push(f: Int32, g: Int32, state: Int32) {
        items.append(Item(f: f, g: g, state: state))
        var i = items.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard Self.before(items[i], items[parent]) else { break }
            items.swapAt(i, parent)
            i = parent
        }
    }

    mutating func pop() -> Item? {
        guard let first = items.first else { return nil }
        let last = items.removeLast()
        if !items.isEmpty {
            items[0] = last
            var i = 0
            while true {
                let l = 2 * i + 1, r = l + 1
                var m = i
                if l < items.count && Self.before(items[l], items[m]) { m = l }
                if r < items.count && Self.before(items[r], items[m]) { m = r }
                if m == i { break }
                items.swapAt(i, m)
                i = m
            }
        }
        return first
    }
}
