import XCTest
@testable import HDF5

final class GroupTests: HDF5TestCase {
    func testNestedGroupsListAndReopen() throws {
        let file = path("groups.h5")
        do {
            let f = try HDF5File.create(file)
            let policy = try f.root.createGroup("policy")
            _ = try policy.createGroup("layer1")
            _ = try policy.createGroup("layer0")
            try policy.createDataset("bias", values: [Float(0)])
            _ = try f.root.createGroup("value")
            XCTAssertEqual(policy.name, "/policy")
        }
        let f = try HDF5File.open(file)
        XCTAssertEqual(try f.root.children(), ["policy", "value"])
        let policy = try f.root.openGroup("policy")
        XCTAssertEqual(try policy.children(), ["bias", "layer0", "layer1"])
        XCTAssertEqual(try policy.openGroup("layer1").name, "/policy/layer1")
        XCTAssertTrue(try policy.contains("bias"))
        XCTAssertFalse(try policy.contains("nope"))
        XCTAssertEqual(try policy.openGroup("layer0").children(), [])
    }

    func testMissingAndDuplicateGroupsNameTheObject() throws {
        let f = try HDF5File.create(path("missing.h5"))
        _ = try f.root.createGroup("a")
        let missing = assertHDF5Error(.library) { try f.root.openGroup("b") }
        XCTAssertEqual(missing?.object, "/b")
        XCTAssertEqual(missing?.path, f.path)
        assertHDF5Error(.library) { try f.root.createGroup("a") }
        assertHDF5Error(.library) { try f.root.openDataset("a") }
        assertHDF5Error(.invalidArgument) { try f.root.createGroup("") }
        assertHDF5Error(.invalidArgument) { try f.root.createGroup("x/y") }
    }

    func testReadOnlyFileRefusesWrites() throws {
        let file = path("ro.h5")
        try HDF5File.create(file).close()
        let f = try HDF5File.open(file, mode: .readOnly)
        let error = assertHDF5Error(.library) { try f.root.createGroup("g") }
        XCTAssertTrue(
            error?.stack.joined(separator: " ").localizedCaseInsensitiveContains("no write intent") ?? false,
            "\(String(describing: error))")
        try f.close()
        let rw = try HDF5File.open(file, mode: .readWrite)
        XCTAssertNoThrow(try rw.root.createGroup("g"))
    }
}
