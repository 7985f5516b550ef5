import XCTest
@testable import Elimination

/// CostTables.swift must equal the reference's cost_tables.json entry by entry.
final class CostTablesTests: XCTestCase {
    func testTablesMatchReference() throws {
        let tables = try Fixtures.json("cost_tables.json")
        let contraction = tables["CONTRACTION_MAP"] as! [[[Int]]]
        let mul = tables["MUL_SPARSITY_MAP"] as! [[Int]]
        let add = tables["ADD_SPARSITY_MAP"] as! [[Int]]
        var checked = 0
        for a in 0..<22 {
            for b in 0..<22 {
                for f in 0..<6 {
                    let bit = (Int(CostTables.contractionMask[a * 22 + b]) >> f) & 1
                    XCTAssertEqual(bit, contraction[f][a][b], "contraction factor \(f) for types \(a - 10), \(b - 10)")
                    checked += 1
                }
                XCTAssertEqual(Int(CostTables.multiplySparsity[a * 22 + b]), mul[a][b])
                XCTAssertEqual(Int(CostTables.addSparsity[a * 22 + b]), add[a][b])
                checked += 2
            }
        }
        XCTAssertEqual(checked, 22 * 22 * 8)
    }
}
