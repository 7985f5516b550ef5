import Console
import Foundation
import XCTest

/// JSONReading is the project's one JSON reader: numbers exact, whole ones readable as Int (orders,
/// costs, counters), booleans apart from numbers.
final class JSONReadingTests: XCTestCase {
    func testWholeNumbersReadAsIntegersAndOthersAsExactDoubles() throws {
        let text = """
            {"order": [3, 1, 2], "cost": 295, "written_as_float": 7.0, "half": 3.5, "tenth": 0.1,
             "negative_zero": -0.0, "beyond_2_53": 9007199254740993, "flag": true, "none": null}
            """
        let object = try XCTUnwrap(JSONReading.parse(text) as? [String: Any])
        XCTAssertEqual(object["order"] as? [Int], [3, 1, 2])
        XCTAssertEqual(object["cost"] as? Int, 295)
        XCTAssertEqual(object["cost"] as? Double, 295)
        XCTAssertEqual(object["written_as_float"] as? Int, 7)
        XCTAssertNil(object["half"] as? Int, "3.5 is not a vertex id")
        XCTAssertEqual(object["half"] as? Double, 3.5)
        XCTAssertEqual((object["tenth"] as? Double)?.bitPattern, (0.1).bitPattern)
        let negativeZero = try XCTUnwrap(object["negative_zero"] as? Double)
        XCTAssertEqual(negativeZero.sign, .minus)
        XCTAssertEqual(object["beyond_2_53"] as? Double, 9_007_199_254_740_992, "the nearest Double (documented)")
        XCTAssertEqual(object["flag"] as? Bool, true)
        XCTAssertNil(object["flag"] as? Int, "a boolean is not the number 1")
        XCTAssertNil(object["cost"] as? Bool, "a number is not a boolean")
        XCTAssertTrue(object["none"] is NSNull)
    }

    /// Every finite magnitude from a fixed sequence (a 64-bit LCG's states; about half are whole
    /// numbers beyond 2^53), and subnormals, the largest finite value and −0.0.
    func testSeventeenDigitDoublesReadBackBitForBit() throws {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        let values =
            (0..<2_000).map { k -> Double in
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                let x = Double(bitPattern: state & 0x7FEF_FFFF_FFFF_FFFF)
                return k % 2 == 0 ? x : -x
            } + [5e-324, -2.2250738585072009e-308, 1.7976931348623157e308, 0x1p53 + 2, 1.2345678901234568e17, -0.0]
        let text = "[" + values.map { "\($0)" }.joined(separator: ",") + "]"
        let read = try XCTUnwrap(JSONReading.parse(Data(text.utf8)) as? [Double])
        XCTAssertEqual(read.map(\.bitPattern), values.map(\.bitPattern))
    }

    func testMalformedTextIsAFailureThatSaysWhere() {
        XCTAssertThrowsError(try JSONReading.parse("{\"order\": [1, 2,")) { error in
            XCTAssertFalse("\(error)".isEmpty)
        }
    }
}
