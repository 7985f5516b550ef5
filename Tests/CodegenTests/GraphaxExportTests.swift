import XCTest

@testable import Codegen

final class GraphaxExportTests: XCTestCase {
    func testReadsTheFirstStatedJaxVersion() {
        XCTAssertEqual(
            GraphaxExport.jaxVersion(inReadme: "under **JAX 0.4.25** (the paper's era). JAX 0.4.38."), "0.4.25")
        XCTAssertEqual(GraphaxExport.jaxVersion(inReadme: "written in JAX (ours), printed by JAX 0.4.38."), "0.4.38")
        XCTAssertNil(GraphaxExport.jaxVersion(inReadme: "JAX programs, no version"))
    }
}
