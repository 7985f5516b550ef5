import XCTest
@testable import Bounds

/// GenerationalMemo: at most two generations of `limit` entries; what is in use stays, what is not
/// is dropped, and every value found is the one remembered.
final class GenerationalMemoTests: XCTestCase {
    func testTheMemoKeepsAtMostTwoGenerationsAndTheValuesInUse() {
        var memo = GenerationalMemo<HashedStore<Int, Int>>(limit: 3)
        for k in 0..<3 { memo.remember(k, 10 * k) }
        XCTAssertEqual(memo.count, 3)
        memo.remember(3, 30)  // the young generation was full: 0…2 become the old one
        XCTAssertEqual(memo.count, 4)
        XCTAssertEqual(memo.value(for: 1), 10, "found in the old generation, moved back")
        memo.remember(4, 40)  // young: 3, 1, 4 (full)
        memo.remember(5, 50)  // the old generation (0, 1, 2) is dropped; 1 lives on in 3, 1, 4
        XCTAssertNil(memo.value(for: 0))
        XCTAssertNil(memo.value(for: 2))
        XCTAssertEqual(memo.value(for: 1), 10)
        XCTAssertEqual(memo.value(for: 5), 50)
        XCTAssertNil(memo.value(for: 99))

        var random = GenerationalMemo<HashedStore<Int, Int>>(limit: 50)
        var seen: [Int: Int] = [:]
        for i in 0..<10_000 {
            let k = (i &* 2_654_435_761) % 997
            if let v = random.value(for: k) {
                XCTAssertEqual(v, seen[k], "a value found is the one remembered")
            } else {
                random.remember(k, k * 3)
                seen[k] = k * 3
            }
            XCTAssertLessThanOrEqual(random.count, 100)
        }
        XCTAssertEqual(GenerationalMemo<HashedStore<Int, Int>>(limit: 0).limit, 1)
    }
}
