import Foundation
import XCTest
@testable import HDF5

final class SWMRTests: HDF5TestCase {
    private let layout = HDF5CompoundLayout([.init("id", .int64), .init("cost", .double)])

    /// Writer and SWMR reader in one process (HDF5 shares one open file between the two ids,
    /// so this checks the API sequence, refresh and row counts; the h5py test below checks a
    /// real second process).
    func testReaderInSameProcessSeesRowsAsTheWriterFlushes() throws {
        let file = path("swmr.h5")
        let writer = try HDF5File.create(file, swmrCapable: true)
        let costs = try writer.root.createExtendableDataset("cost", of: Double.self, chunkRows: 4)
        let rows = try writer.root.createCompoundDataset("episodes", layout: layout, chunkRows: 4)
        try writer.startSWMRWrite()

        let reader = try HDF5File.open(file, mode: .swmrRead)
        let readCosts = try reader.root.openDataset("cost")
        let readRows = try reader.root.openDataset("episodes")
        XCTAssertEqual(try readCosts.rowCount(), 0)

        var seen: [Int] = []
        for step in 1...5 {
            try costs.append((0..<3).map { Double(step * 10 + $0) })
            try rows.appendRows((0..<3).map { [.int64(Int64(step * 10 + $0)), .double(Double($0))] })
            try writer.flush()
            try readCosts.refresh()
            try readRows.refresh()
            seen.append(try readCosts.rowCount())
            XCTAssertEqual(try readRows.rowCount(), step * 3)
            XCTAssertEqual(
                try readCosts.read(as: Double.self, rows: (step * 3 - 3)..<(step * 3)),
                (0..<3).map { Double(step * 10 + $0) })
        }
        XCTAssertEqual(seen, [3, 6, 9, 12, 15])
        try reader.close()
        try writer.close()
    }

    func testSWMRWriteNeedsTheLatestFormat() throws {
        let file = path("old-format.h5")
        let f = try HDF5File.create(file, swmrCapable: false)
        let error = assertHDF5Error(.library) { try f.startSWMRWrite() }
        XCTAssertTrue(error?.detail?.contains("swmrCapable") ?? false, "\(String(describing: error))")
        XCTAssertFalse(error?.stack.isEmpty ?? true)
    }

    /// What HDF5 1.10 refuses around SWMR, pinned so a library upgrade that changes it shows up.
    func testSWMRStartAndWriteRestrictions() throws {
        let file = path("restrictions.h5")
        let f = try HDF5File.create(file, swmrCapable: true)
        let group = try f.root.createGroup("log")
        try group.createExtendableDataset("x", of: Double.self)
        try f.startSWMRWrite()  // open groups and datasets are fine in 1.10.8
        let again = assertHDF5Error(.library) { try f.startSWMRWrite() }
        XCTAssertTrue(
            again?.stack.joined().contains("already in SWMR writing mode") ?? false, "\(String(describing: again))")
        try group.openDataset("x").append([1.0])
        XCTAssertTrue(f.isSWMRWriter)
        // HDF5 1.10.8 would allow these, but SWMR readers are not guaranteed to see them.
        let create = assertHDF5Error(.invalidArgument) { try f.root.createExtendableDataset("y", of: Double.self) }
        XCTAssertTrue(create?.detail?.contains("only append") ?? false, "\(String(describing: create))")
        assertHDF5Error(.invalidArgument) { try group.createGroup("g") }
        assertHDF5Error(.invalidArgument) {
            try f.root.createCompoundDataset("c", layout: HDF5CompoundLayout([.init("a", .int32)]))
        }
        assertHDF5Error(.invalidArgument) { try f.attributes.write("update", Int64(1)) }
        try f.close()
        // Reopened as an SWMR writer, the same rules apply from the start.
        let reopened = try HDF5File.open(file, mode: .swmrWrite)
        XCTAssertTrue(reopened.isSWMRWriter)
        assertHDF5Error(.invalidArgument) { try reopened.root.createGroup("late") }
        XCTAssertEqual(try reopened.root.openGroup("log").openDataset("x").read(as: Double.self), [1.0])
    }

    func testReopenInSWMRWriteModeAndAppend() throws {
        let file = path("resume.h5")
        do {
            let f = try HDF5File.create(file, swmrCapable: true)
            try f.root.createExtendableDataset("x", of: Int64.self).append([Int64(1), 2])
            try f.root.createSequenceDataset("orders", of: Int32.self).appendSequences([[Int32(1), 2]])
        }
        do {
            let f = try HDF5File.open(file, mode: .swmrWrite)
            try f.root.openDataset("x").append([Int64(3)])
            try f.root.openDataset("orders").appendSequences([[Int32(3)], []])
        }
        let f = try HDF5File.open(file, mode: .swmrRead)
        XCTAssertEqual(try f.root.openDataset("x").read(as: Int64.self), [1, 2, 3])
        XCTAssertEqual(try f.root.openDataset("orders").readSequences(as: Int32.self), [[1, 2], [3], []])
    }

    /// A real second process: python3 + h5py opens the file with swmr=True while this process
    /// writes. Handshake over pipes (one line each way per step), so no sleeping. Orders are
    /// stored flat (Int32 values + one length per row) because variable-length rows are not
    /// readable by an SWMR reader while the writer runs (their global heap is not SWMR-safe:
    /// h5py fails with "address of object past end of allocation").
    func testH5pyReaderInAnotherProcessSeesGrowingRows() throws {
        try requireH5py()
        let file = path("swmr-h5py.h5")
        let writer = try HDF5File.create(file, swmrCapable: true)
        let costs = try writer.root.createExtendableDataset("cost", of: Double.self, chunkRows: 4)
        let rows = try writer.root.createCompoundDataset("episodes", layout: layout, chunkRows: 4)
        let orderValues = try writer.root.createExtendableDataset("order_values", of: Int32.self, chunkRows: 8)
        let orderLengths = try writer.root.createExtendableDataset("order_lengths", of: Int32.self, chunkRows: 4)
        try writer.startSWMRWrite()

        let script = """
            import sys, json, h5py
            f = h5py.File(sys.argv[1], "r", libver="latest", swmr=True)
            cost, episodes, values, lengths = f["cost"], f["episodes"], f["order_values"], f["order_lengths"]
            print("ready", flush=True)
            for line in sys.stdin:
                for d in (cost, episodes, values, lengths):
                    d.refresh()
                n = cost.shape[0]
                print(json.dumps({
                    "cost": n, "episodes": episodes.shape[0], "orders": lengths.shape[0],
                    "lastCost": float(cost[n - 1]) if n else None,
                    "lastId": int(episodes["id"][-1]) if episodes.shape[0] else None,
                    "lastOrder": [int(v) for v in values[values.shape[0] - int(lengths[-1]):]] if lengths.shape[0] else None,
                }), flush=True)
            """
        let reader = try PythonProcess(script: script, arguments: [file])
        defer { reader.stop() }
        XCTAssertEqual(try reader.readLine(), "ready")

        for step in 1...4 {
            try costs.append((0..<3).map { Double(step) + Double($0) / 10 })
            try rows.appendRows((0..<3).map { [.int64(Int64(step * 100 + $0)), .double(0)] })
            try orderValues.append((0..<3).flatMap { [Int32(step), Int32($0)] })
            try orderLengths.append([Int32](repeating: 2, count: 3))
            try writer.flush()
            try reader.writeLine("check")
            let line = try reader.readLine()
            let seen = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            XCTAssertEqual(seen?["cost"] as? Int, step * 3, line)
            XCTAssertEqual(seen?["episodes"] as? Int, step * 3, line)
            XCTAssertEqual(seen?["orders"] as? Int, step * 3, line)
            XCTAssertEqual(seen?["lastCost"] as? Double, Double(step) + 0.2, line)
            XCTAssertEqual(seen?["lastId"] as? Int, step * 100 + 2, line)
            XCTAssertEqual(seen?["lastOrder"] as? [Int], [step, 2], line)
        }
        try reader.closeInput()
        XCTAssertEqual(try reader.wait(), 0, reader.errorOutput())
        try writer.close()
    }
}
