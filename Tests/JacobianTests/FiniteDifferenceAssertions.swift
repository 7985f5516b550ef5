import Elimination
import TestFixtures
import XCTest

@testable import Jacobian

extension XCTestCase {
    /// Every Jacobian block of `result` (sample 0) within 1e-6 relative of central finite
    /// differences of `graph` at `inputs`.
    func assertMatchesFiniteDifferences(
        _ graph: ComputationalGraph, _ result: JacobianResult, at inputs: [[Double]], file: StaticString = #filePath,
        line: UInt = #line
    ) throws {
        let fd = try FiniteDifferences.jacobian(of: graph, at: inputs)
        for o in fd.indices {
            for k in fd[o].indices {
                XCTAssertLessThan(
                    maxRelativeDifference(result.block(o, k, sample: 0), fd[o][k]), 1e-6, "block \(o), \(k)",
                    file: file, line: line)
            }
        }
    }
}
