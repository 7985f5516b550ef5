import XCTest
@testable import HDF5

final class DatasetRoundTripTests: HDF5TestCase {
    private let shapes: [[Int]] = [[], [1], [7], [2, 3], [2, 3, 4], [0], [0, 3], [3, 0]]

    /// Every kind, every shape, every storage, written then read back after a reopen.
    func testEveryKindShapeAndStorageRoundTrips() throws {
        let file = path("roundtrip.h5")
        // Chunked: explicit chunks of about half of each axis, so most datasets span chunks.
        let storages: [(String, ([Int]) -> HDF5Storage)] = [
            ("contiguous", { _ in .contiguous }), ("checksummed", { _ in .checksummed }),
            ("chunked", { shape in HDF5Storage(chunkShape: shape.map { max(1, ($0 + 1) / 2) }) }),
        ]
        var expected: [String: ([Int], [Double])] = [:]
        do {
            let f = try HDF5File.create(file)
            for (storageName, storageFor) in storages {
                let group = try f.root.createGroup(storageName)
                for (s, shape) in shapes.enumerated() {
                    let storage = storageFor(shape)
                    if storage.isChunked && shape.isEmpty { continue }
                    let n = elementCount(of: shape)!
                    let values = (0..<n).map { Double($0) * 1.5 - 3 }
                    try group.createDataset("f\(s)", values: values.map(Float.init), shape: shape, storage: storage)
                    try group.createDataset("d\(s)", values: values, shape: shape, storage: storage)
                    try group.createDataset(
                        "i\(s)", values: values.map { Int32($0 * 2) }, shape: shape, storage: storage)
                    try group.createDataset(
                        "l\(s)", values: values.map { Int64($0 * 2) * 1_000_000_007 }, shape: shape, storage: storage)
                    expected["/\(storageName)/\(s)"] = (shape, values)
                }
            }
            try f.close()
        }
        let f = try HDF5File.open(file)
        var checked = 0
        for (key, (shape, values)) in expected {
            let parts = key.split(separator: "/")
            let group = try f.root.openGroup(String(parts[0]))
            let s = parts[1]
            let fd = try group.openDataset("f\(s)")
            XCTAssertEqual(fd.elementType, .scalar(.float))
            XCTAssertEqual(try fd.shape(), shape, key)
            XCTAssertEqual(try fd.read(as: Float.self), values.map(Float.init), key)
            XCTAssertEqual(try group.openDataset("d\(s)").read(as: Double.self), values, key)
            XCTAssertEqual(try group.openDataset("i\(s)").read(as: Int32.self), values.map { Int32($0 * 2) }, key)
            XCTAssertEqual(
                try group.openDataset("l\(s)").read(as: Int64.self), values.map { Int64($0 * 2) * 1_000_000_007 }, key)
            checked += 4
        }
        XCTAssertEqual(checked, 4 * (3 * shapes.count - 2))
    }

    func testExtremeValuesSurviveBitForBit() throws {
        let file = path("extremes.h5")
        let floats: [Float] = [
            .infinity, -.infinity, .leastNonzeroMagnitude, .greatestFiniteMagnitude, -0.0, .ulpOfOne,
        ]
        let longs: [Int64] = [.min, .max, 0, -1]
        do {
            let f = try HDF5File.create(file)
            try f.root.createDataset("f", values: floats)
            try f.root.createDataset("nan", values: [Double.nan])
            try f.root.createDataset("l", values: longs)
        }
        let f = try HDF5File.open(file)
        XCTAssertEqual(try f.root.openDataset("f").read(as: Float.self).map(\.bitPattern), floats.map(\.bitPattern))
        XCTAssertTrue(try f.root.openDataset("nan").read(as: Double.self)[0].isNaN)
        XCTAssertEqual(try f.root.openDataset("l").read(as: Int64.self), longs)
    }

    func testReadRowsOfAMatrix() throws {
        let f = try HDF5File.create(path("rows.h5"))
        let d = try f.root.createDataset(
            "m", values: (0..<12).map(Int32.init), shape: [4, 3],
            storage: HDF5Storage(chunkShape: [3, 2]))
        XCTAssertEqual(try d.read(as: Int32.self, rows: 1..<3), [3, 4, 5, 6, 7, 8])
        XCTAssertEqual(try d.read(as: Int32.self, rows: 4..<4), [])
        XCTAssertEqual(try d.rowCount(), 4)
        let error = assertHDF5Error(.shapeMismatch) { try d.read(as: Int32.self, rows: 2..<5) }
        XCTAssertTrue(error?.description.contains("/m") ?? false, "\(String(describing: error))")
    }

    func testWrongTypeOrShapeIsRefused() throws {
        let f = try HDF5File.create(path("wrong.h5"))
        let d = try f.root.createDataset("x", values: [Float](repeating: 1, count: 6), shape: [2, 3])
        let mismatch = assertHDF5Error(.typeMismatch) { try d.read(as: Double.self) }
        XCTAssertEqual(mismatch?.object, "/x")
        XCTAssertTrue(mismatch?.description.contains("holds float") ?? false, "\(String(describing: mismatch))")
        assertHDF5Error(.shapeMismatch) {
            try f.root.createDataset("y", values: [Float](repeating: 1, count: 5), shape: [2, 3])
        }
        assertHDF5Error(.shapeMismatch) { try f.root.createDataset("y", values: [Float](), shape: [-1]) }
        assertHDF5Error(.invalidArgument) {
            try f.root.createDataset("s", values: [Float(1)], shape: [], storage: .checksummed)
        }
        assertHDF5Error(.invalidArgument) {
            try f.root.createDataset(
                "c", values: [Float](repeating: 1, count: 6), shape: [2, 3], storage: HDF5Storage(chunkShape: [2]))
        }
        assertHDF5Error(.invalidArgument) { try f.root.createDataset("a/b", values: [Float(1)]) }
        assertHDF5Error(.shapeMismatch) { try d.append([Float(1)]) }
        // Creating an existing name is HDF5's refusal, reported with the object name and stack.
        let exists = assertHDF5Error(.library) { try f.root.createDataset("x", values: [Float(1)]) }
        XCTAssertFalse(exists?.stack.isEmpty ?? true)
        XCTAssertEqual(exists?.operation, "create dataset")
    }

    func testAutomaticChunkShapeFitsTheCacheAndNeverHasZeros() {
        let storage = HDF5Storage.checksummed
        XCTAssertEqual(storage.resolvedChunkShape(for: [10, 0], elementSize: 4), [10, 1])
        let chunk = storage.resolvedChunkShape(for: [4096, 4096], elementSize: 4)
        XCTAssertLessThanOrEqual(chunk.reduce(4, *), HDF5Storage.automaticChunkBytes)
        XCTAssertGreaterThan(chunk.reduce(4, *), HDF5Storage.automaticChunkBytes / 4)
    }
}
