import Elimination
import Randomness
import XCTest

final class BinaryHeapTests: XCTestCase {
    private struct Keyed: Comparable {
        var key: Int
        var tie: Int
        static func < (a: Keyed, b: Keyed) -> Bool { a.key != b.key ? a.key < b.key : a.tie < b.tie }
    }

    /// Random pushes interleaved with pops come out as a sorted sequence would give them.
    func testPopsInOrderUnderInterleavedPushesAndPops() {
        var rng = Xoshiro256StarStar(seed: 7, stream: 0)
        for round in 0..<50 {
            var heap = BinaryHeap<Keyed>()
            var reference: [Keyed] = []
            for i in 0..<(round * 7 + 1) {
                let item = Keyed(key: Int(rng.next() % 10), tie: i)
                heap.push(item)
                reference.append(item)
                if rng.next() % 3 == 0 {
                    reference.sort()
                    XCTAssertEqual(heap.min, reference.first)
                    XCTAssertEqual(heap.pop(), reference.removeFirst())
                }
                XCTAssertEqual(heap.count, reference.count)
            }
            reference.sort()
            var popped: [Keyed] = []
            while let x = heap.pop() { popped.append(x) }
            XCTAssertEqual(popped, reference)
            XCTAssertTrue(heap.isEmpty)
            XCTAssertNil(heap.pop())
        }
    }
}
