import XCTest
@testable import HDF5

final class AppendTests: HDF5TestCase {
    private let episode = HDF5CompoundLayout([
        .init("id", .int64), .init("task", .int32), .init("cost", .double), .init("wall", .float),
    ])

    private func row(_ i: Int) -> [HDF5Value] {
        [.int64(Int64(i) << 33), .int32(Int32(i % 7)), .double(Double(i) * 0.1), .float(Float(i) / 4)]
    }

    func testExtendableDatasetGrowsAcrossReopen() throws {
        let file = path("extend.h5")
        do {
            let f = try HDF5File.create(file)
            let d = try f.root.createExtendableDataset("loss", of: Double.self, chunkRows: 4)
            XCTAssertEqual(try d.shape(), [0])
            try d.append([1.0, 2.0, 3.0])
            try d.append([Double]())
            try d.append((4...10).map(Double.init))  // crosses several chunks
            XCTAssertEqual(try d.rowCount(), 10)
        }
        do {
            let f = try HDF5File.open(file, mode: .readWrite)
            let d = try f.root.openDataset("loss")
            try d.append([11.0])
            assertHDF5Error(.typeMismatch) { try d.append([Float(1)]) }
        }
        let d = try HDF5File.open(file).root.openDataset("loss")
        XCTAssertEqual(try d.read(as: Double.self), (1...11).map(Double.init))
        XCTAssertEqual(try d.read(as: Double.self, rows: 8..<11), [9, 10, 11])
    }

    func testCompoundRowsOneByOneAndInBlocksAcrossReopen() throws {
        let file = path("compound.h5")
        do {
            let f = try HDF5File.create(file)
            let g = try f.root.createGroup("log")
            let d = try g.createCompoundDataset("episodes", layout: episode, chunkRows: 3, fletcher32: true)
            try d.appendRow(row(0))
            try d.appendRows((1..<5).map(row))
        }
        do {
            let f = try HDF5File.open(file, mode: .readWrite)
            let d = try f.root.openGroup("log").openDataset("episodes")
            XCTAssertEqual(d.elementType, .compound(episode))
            try d.appendRows((5..<8).map(row))
        }
        let d = try HDF5File.open(file).root.openGroup("log").openDataset("episodes")
        XCTAssertEqual(try d.readRows(), (0..<8).map(row))
        XCTAssertEqual(try d.readRows(6..<8), (6..<8).map(row))
        XCTAssertEqual(try d.column("cost", as: Double.self), (0..<8).map { Double($0) * 0.1 })
        XCTAssertEqual(try d.column("task", as: Int32.self, rows: 5..<8), [5, 6, 0])
        XCTAssertEqual(try d.column("id", as: Int64.self).last, 7 << 33)
    }

    func testCompoundRowsThatDoNotFitAreRefusedAndNothingIsAppended() throws {
        let f = try HDF5File.create(path("badrows.h5"))
        let d = try f.root.createCompoundDataset("episodes", layout: episode)
        try d.appendRow(row(0))
        let short = assertHDF5Error(.shapeMismatch) { try d.appendRows([row(1), Array(row(2).dropLast())]) }
        XCTAssertTrue(short?.detail?.contains("row 1 has 3 values") ?? false, "\(String(describing: short))")
        let kind = assertHDF5Error(.shapeMismatch) { try d.appendRow([.int32(1), .int32(2), .double(3), .float(4)]) }
        XCTAssertTrue(kind?.detail?.contains("'id' is int64, got int32") ?? false, "\(String(describing: kind))")
        assertHDF5Error(.invalidArgument) { try d.column("nope", as: Double.self) }
        assertHDF5Error(.typeMismatch) { try d.column("cost", as: Float.self) }
        assertHDF5Error(.typeMismatch) { try d.read(as: Double.self) }
        XCTAssertEqual(try d.rowCount(), 1)
        assertHDF5Error(.invalidArgument) {
            try f.root.createCompoundDataset(
                "dup", layout: HDF5CompoundLayout([.init("a", .int32), .init("a", .double)]))
        }
        assertHDF5Error(.invalidArgument) { try f.root.createCompoundDataset("none", layout: HDF5CompoundLayout([])) }
        XCTAssertFalse(try f.root.contains("dup"))
    }

    func testSequencesIncludingEmptyOnesAcrossReopen() throws {
        let file = path("orders.h5")
        let orders: [[Int32]] = [[3, 1, 2], [], [5], Array(0..<500), [-1, Int32.max, Int32.min]]
        do {
            let f = try HDF5File.create(file)
            let d = try f.root.createSequenceDataset("orders", of: Int32.self, chunkRows: 2)
            XCTAssertEqual(d.elementType, .sequence(.int32))
            try d.appendSequences(Array(orders[0..<2]))
            try d.appendSequences([orders[2]])
        }
        do {
            let f = try HDF5File.open(file, mode: .readWrite)
            try f.root.openDataset("orders").appendSequences(Array(orders[3...]))
        }
        let d = try HDF5File.open(file).root.openDataset("orders")
        XCTAssertEqual(try d.readSequences(as: Int32.self), orders)
        XCTAssertEqual(try d.readSequences(as: Int32.self, rows: 1..<3), [[], [5]])
        XCTAssertEqual(try d.readSequences(as: Int32.self, rows: 2..<2), [])
        assertHDF5Error(.typeMismatch) { try d.readSequences(as: Int64.self) }
        assertHDF5Error(.typeMismatch) { try d.read(as: Int32.self) }
    }

    /// Many large reads: if HDF5's buffers were not reclaimed the process would grow by
    /// ~200 MB here; we check the resident size stays within a generous bound.
    func testSequenceReadsReclaimTheirMemory() throws {
        let f = try HDF5File.create(path("reclaim.h5"))
        let d = try f.root.createSequenceDataset("orders", of: Int32.self)
        try d.appendSequences([[Int32]](repeating: Array(0..<1000), count: 500))  // 2 MB per read
        _ = try d.readSequences(as: Int32.self)
        let before = residentBytes()
        for _ in 0..<100 { _ = try d.readSequences(as: Int32.self) }
        let grown = residentBytes() - before
        print("resident growth after 100 reads of 2 MB of sequences: \(grown / 1024) kB")
        XCTAssertLessThan(grown, 50 << 20)
    }

    private func residentBytes() -> Int {
        // /proc/self/statm: size resident ... in pages.
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8),
            let pages = Int(text.split(separator: " ")[1])
        else { return 0 }
        return pages * 4096
    }
}
