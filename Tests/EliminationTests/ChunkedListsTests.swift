import XCTest
@testable import Elimination

/// The sparse layout's chunked lists keep value semantics: a copy shares storage until one side
/// writes, and a write to one list changes that list only, in that copy only.
final class ChunkedListsTests: XCTestCase {
    func testACopyIsIndependentAndEqualUntilOneSideWrites() {
        let n = 3 * ChunkedLists.chunkSize + 5  // a last chunk shorter than the others
        var a = ChunkedLists(count: n)
        XCTAssertEqual(a.count, n)
        XCTAssertTrue(a.allSatisfy(\.isEmpty))
        for i in 0..<n where i % 7 == 0 { a[i].append(UInt64(i)) }
        var b = a
        XCTAssertEqual(a, b)
        b[n - 1].append(42)
        b[3].append(43)
        XCTAssertNotEqual(a, b)
        XCTAssertEqual(a[n - 1], n - 1 == 0 || (n - 1) % 7 != 0 ? [] : [UInt64(n - 1)])
        XCTAssertEqual(b[n - 1].last, 42)
        XCTAssertEqual(a[3], [])
        XCTAssertEqual(b[3], [43])
        for i in 0..<n where i != 3 && i != n - 1 { XCTAssertEqual(a[i], b[i], "list \(i)") }
        let deep = b.deepCopy()
        XCTAssertEqual(deep, b)
        XCTAssertEqual(Array(deep), Array(b))
        XCTAssertEqual(a.reduce(0) { $0 + $1.count }, (0..<n).filter { $0 % 7 == 0 }.count)
    }
}
