import Elimination

/// An entry of OptimalOrderSearch's open list (a `BinaryHeap`): keyed by f, ties to the larger g
/// (deeper states first, so goals are reached sooner at equal bound).
struct OpenState: Comparable {
    var f: Int32
    var g: Int32
    var state: Int32

    static func < (a: OpenState, b: OpenState) -> Bool {
        a.f < b.f || (a.f == b.f && a.g > b.g)
    }
}
