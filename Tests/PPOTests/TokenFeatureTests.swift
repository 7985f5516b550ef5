import XCTest
import Elimination
@testable import PPO

final class TokenFeatureTests: XCTestCase {
    func testFeaturesDescribeTheStateAndDoNotDependOnGraphSize() throws {
        for name in ["RoeFlux_1d", "Encoder", "f"] {
            let spec = GameSpec(graph: try PPOFixtures.graph(name))
            var state = EliminationState(spec: spec)
            try state.eliminate(spec.eliminable[3])
            let T = TokenFeatures.tokenCount(state)
            XCTAssertEqual(T, spec.vertexCount - 1)
            var features = [Float](repeating: .nan, count: T * TokenFeatures.count)
            var vertices = [Int32](repeating: 0, count: T)
            var legal = [Bool](repeating: false, count: T)
            XCTAssertEqual(TokenFeatures.write(state, features: &features, vertices: &vertices, legal: &legal), T)
            XCTAssertTrue(features.allSatisfy { $0.isFinite && abs($0) < 20 }, name)
            XCTAssertFalse(vertices.contains(Int32(spec.eliminable[3])))
            for t in 0..<T {
                let v = Int(vertices[t])
                XCTAssertEqual(legal[t], state.isLegal(v))
                let f = Array(features[(t * TokenFeatures.count)..<((t + 1) * TokenFeatures.count)])
                XCTAssertEqual(f[0], spec.isOutput[v - 1] ? 1 : 0)
                if legal[t] { XCTAssertEqual(f[3], log1pf(Float(state.previewCost(v))), accuracy: 1e-6) }
            }
        }
    }
}
