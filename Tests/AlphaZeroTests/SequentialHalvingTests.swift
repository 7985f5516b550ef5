import XCTest
@testable import AlphaZero

final class SequentialHalvingTests: XCTestCase {
    func testScheduleMatchesHandCalculation() {
        // m = 4, n = 16: ⌈log2 4⌉ = 2 phases. Phase 1 keeps 4 actions, each gets
        // max(1, ⌊16 / (2·4)⌋) = 2 visits: counts 0,0,0,0 then 1,1,1,1. Phase 2 keeps 2, each gets
        // ⌊16 / (2·2)⌋ = 4 more: 2,2 3,3 4,4 5,5. Total 8 + 8 = 16.
        XCTAssertEqual(
            SequentialHalving.consideredVisits(maxConsidered: 4, simulations: 16),
            [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5])
        // m = 3, n = 10: ⌈log2 3⌉ = 2. Phase 1: 3 actions × max(1, ⌊10/6⌋ = 1): 0,0,0. Then 2
        // actions × ⌊10/4⌋ = 2: 1,1 2,2; still below 10, so 2 actions × 2 again: 3,3 4,4 → cut at 10.
        XCTAssertEqual(
            SequentialHalving.consideredVisits(maxConsidered: 3, simulations: 10),
            [0, 0, 0, 1, 1, 2, 2, 3, 3, 4])
        // The paper's budget: m = 16, n = 50, ⌈log2 16⌉ = 4. 16 actions × max(1, ⌊50/64⌋) = 1: sixteen 0s;
        // 8 × max(1, ⌊50/32⌋ = 1): eight 1s (24); 4 × ⌊50/16⌋ = 3: 2,2,2,2 3,3,3,3 4,4,4,4 (36);
        // 2 × ⌊50/8⌋ = 6: 5,5 … 10,10 (48); 2 × 6 again, cut after 11,11 (50).
        let paper = SequentialHalving.consideredVisits(maxConsidered: 16, simulations: 50)
        var expected = [Int](repeating: 0, count: 16) + [Int](repeating: 1, count: 8)
        for k in 2...4 { expected += [k, k, k, k] }
        for k in 5...11 { expected += [k, k] }
        XCTAssertEqual(paper, expected)
        // One action: every simulation visits it.
        XCTAssertEqual(SequentialHalving.consideredVisits(maxConsidered: 1, simulations: 4), [0, 1, 2, 3])
        // Fewer simulations than actions: the first n of phase 1.
        XCTAssertEqual(SequentialHalving.consideredVisits(maxConsidered: 16, simulations: 5), [0, 0, 0, 0, 0])
    }
}
