import Console
import XCTest
@testable import Jacobian

/// Row-major values ↔ nested JSON arrays: shapes round-trip, non-finite numbers are strings, and a
/// wrong shape is refused naming where.
final class NestedArrayTests: XCTestCase {
    func testWritesShapesAndNonFiniteNumbers() {
        XCTAssertEqual(NestedArray.json([1, 2, 3, 4, 5, 6], shape: [2, 3]).text, "[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]")
        XCTAssertEqual(NestedArray.json([7], shape: []).text, "7.0")
        XCTAssertEqual(NestedArray.json([.nan, -.infinity], shape: [2]).text, #"["NaN", "-Infinity"]"#)
    }

    func testReadsWhatItWritesAndRefusesWrongShapes() throws {
        let any: Any = [[1, 2, 3], [4, "Infinity", 6]] as [Any]
        XCTAssertEqual(try NestedArray.values(any, shape: [2, 3], what: "x"), [1, 2, 3, 4, .infinity, 6])
        XCTAssertThrowsError(try NestedArray.values([1, 2] as [Any], shape: [3], what: "in")) {
            XCTAssertEqual("\($0)", "in: expected 3 entries (shape [3]), found 2")
        }
        XCTAssertThrowsError(try NestedArray.values([[1], "a"] as [Any], shape: [2, 1], what: "in")) {
            XCTAssertEqual("\($0)", #"in[1]: expected an array of 1, found the string "a""#)
        }
    }
}
