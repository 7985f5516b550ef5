import XCTest
@testable import HDF5

final class AttributeTests: HDF5TestCase {
    func testEveryAttributeTypeOnFileGroupAndDatasetAfterReopen() throws {
        let file = path("attributes.h5")
        let config = String(repeating: "lr = 3e-4 # learning rate, ünïcödé ✓\n", count: 3000)  // ~120 kB
        do {
            let f = try HDF5File.create(file)
            let g = try f.root.createGroup("policy")
            let d = try g.createDataset("w", values: [Float(1), 2, 3])
            for owner in [f.attributes, g.attributes, d.attributes] {
                try owner.write("update", Int64(123_456_789_012))
                try owner.write("lr", 3e-4)
                try owner.write("config", config)
                try owner.write("empty", "")
                try owner.write("ids", [Int64.min, 0, .max])
                try owner.write("costs", [1.5, -2.25])
                try owner.write("params", [Float(0.5), -0.25, 8])
                try owner.write("none", [Double]())
                try owner.write("width", Int32(-7))
                try owner.write("scale", Float(0.125))
            }
            try f.close()
        }
        let f = try HDF5File.open(file)
        let g = try f.root.openGroup("policy")
        let d = try g.openDataset("w")
        for owner in [f.attributes, g.attributes, d.attributes] {
            XCTAssertEqual(try owner.read("update", as: Int64.self), 123_456_789_012)
            XCTAssertEqual(try owner.read("lr", as: Double.self), 3e-4)
            XCTAssertEqual(try owner.read("config", as: String.self), config)
            XCTAssertEqual(try owner.read("empty", as: String.self), "")
            XCTAssertEqual(try owner.read("ids", as: [Int64].self), [Int64.min, 0, .max])
            XCTAssertEqual(try owner.read("costs", as: [Double].self), [1.5, -2.25])
            XCTAssertEqual(try owner.read("params", as: [Float].self), [0.5, -0.25, 8])
            XCTAssertEqual(try owner.read("none", as: [Double].self), [])
            XCTAssertEqual(try owner.read("width", as: Int32.self), -7)
            XCTAssertEqual(try owner.read("scale", as: Float.self), 0.125)
            XCTAssertEqual(
                try owner.names(),
                ["config", "costs", "empty", "ids", "lr", "none", "params", "scale", "update", "width"])
            XCTAssertTrue(try owner.contains("lr"))
            XCTAssertFalse(try owner.contains("missing"))
        }
    }

    func testOverwriteChangesTypeAndDeleteRemoves() throws {
        let f = try HDF5File.create(path("overwrite.h5"))
        try f.attributes.write("x", Int64(1))
        try f.attributes.write("x", "now a string")
        XCTAssertEqual(try f.attributes.read("x", as: String.self), "now a string")
        try f.attributes.write("x", [2.0, 3.0])
        XCTAssertEqual(try f.attributes.read("x", as: [Double].self), [2, 3])
        try f.attributes.delete("x")
        XCTAssertEqual(try f.attributes.names(), [])
    }

    func testWrongTypeMissingNameAndBadStringAreTypedErrors() throws {
        let f = try HDF5File.create(path("wrong.h5"))
        try f.attributes.write("n", Int64(5))
        try f.attributes.write("v", [1.0, 2.0])
        let mismatch = assertHDF5Error(.typeMismatch) { try f.attributes.read("n", as: Double.self) }
        XCTAssertEqual(mismatch?.object, "/ @n")
        assertHDF5Error(.typeMismatch) { try f.attributes.read("n", as: String.self) }
        assertHDF5Error(.typeMismatch) { try f.attributes.read("n", as: Int32.self) }
        assertHDF5Error(.shapeMismatch) { try f.attributes.read("v", as: Double.self) }
        let missing = assertHDF5Error(.library) { try f.attributes.read("absent", as: Int64.self) }
        XCTAssertTrue(missing?.description.contains(f.path) ?? false)
        XCTAssertTrue(
            missing?.stack.joined().contains("can't locate attribute") ?? false, "\(String(describing: missing))")
        assertHDF5Error(.invalidArgument) { try f.attributes.write("s", "a\u{0}b") }
        assertHDF5Error(.invalidArgument) { try f.attributes.write("", Int64(1)) }
    }
}
