import Foundation
import XCTest
@testable import HDF5

/// The files are for Python users too (ARCHITECTURE §5): h5py must read what we write, and we
/// must read what h5py writes. Skipped when python3 cannot import h5py.
final class H5pyInteropTests: HDF5TestCase {
    func testH5pyReadsEverythingSwiftWrites() throws {
        try requireH5py()
        let file = path("from-swift.h5")
        do {
            let f = try HDF5File.create(file)
            try f.attributes.write("format_version", Int64(1))
            try f.attributes.write("config", "lr = 3e-4\nname = \"ünï\"\n")
            try f.attributes.write("best_costs", [12.5, 7.25])
            let policy = try f.root.createGroup("policy")
            try policy.createDataset("w", values: (0..<6).map(Float.init), shape: [2, 3], storage: .checksummed)
            try policy.attributes.write("scales", [Float(0.5), 2])
            let log = try f.root.createGroup("log")
            let episodes = try log.createCompoundDataset(
                "episodes",
                layout: HDF5CompoundLayout([.init("id", .int64), .init("actor", .int32), .init("cost", .double)]))
            try episodes.appendRows([[.int64(1), .int32(0), .double(9.5)], [.int64(2), .int32(1), .double(8.0)]])
            try log.createSequenceDataset("orders", of: Int32.self).appendSequences([[Int32(2), 0, 1], []])
            try log.createExtendableDataset("loss", of: Double.self).append([0.5, 0.25])
            try f.close()
        }
        let script = """
            import sys, json, h5py
            with h5py.File(sys.argv[1], "r") as f:
                a = f.attrs
                e = f["log/episodes"][:]
                print(json.dumps({
                    "format_version": int(a["format_version"]),
                    "config": a["config"] if isinstance(a["config"], str) else "not str: " + repr(a["config"]),
                    "best_costs": [float(v) for v in a["best_costs"]],
                    "w": f["policy/w"][:].tolist(), "w_dtype": str(f["policy/w"].dtype),
                    "fletcher32": f["policy/w"].fletcher32,
                    "scales": [float(v) for v in f["policy"].attrs["scales"]],
                    "fields": list(e.dtype.names),
                    "ids": [int(v) for v in e["id"]], "costs": [float(v) for v in e["cost"]],
                    "orders": [[int(v) for v in o] for o in f["log/orders"][:]],
                    "loss": f["log/loss"][:].tolist(), "loss_maxshape": list(f["log/loss"].maxshape),
                }))
            """
        let python = try PythonProcess(script: script, arguments: [file])
        defer { python.stop() }
        let line = try python.readLine()
        XCTAssertEqual(try python.wait(), 0, python.errorOutput())
        let seen = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], line)
        XCTAssertEqual(seen["format_version"] as? Int, 1)
        XCTAssertEqual(seen["config"] as? String, "lr = 3e-4\nname = \"ünï\"\n")
        XCTAssertEqual(seen["best_costs"] as? [Double], [12.5, 7.25])
        XCTAssertEqual(seen["w"] as? [[Double]], [[0, 1, 2], [3, 4, 5]])
        XCTAssertEqual(seen["w_dtype"] as? String, "float32")
        XCTAssertEqual(seen["fletcher32"] as? Bool, true)
        XCTAssertEqual(seen["scales"] as? [Double], [0.5, 2])
        XCTAssertEqual(seen["fields"] as? [String], ["id", "actor", "cost"])
        XCTAssertEqual(seen["ids"] as? [Int], [1, 2])
        XCTAssertEqual(seen["costs"] as? [Double], [9.5, 8.0])
        XCTAssertEqual(seen["orders"] as? [[Int]], [[2, 0, 1], []])
        XCTAssertEqual(seen["loss"] as? [Double], [0.5, 0.25])
        XCTAssertEqual((seen["loss_maxshape"] as? [Any])?.first is NSNull, true, "\(seen["loss_maxshape"] ?? "")")
    }

    func testSwiftReadsWhatH5pyWrites() throws {
        try requireH5py()
        let file = path("from-h5py.h5")
        let script = """
            import sys, numpy as np, h5py
            with h5py.File(sys.argv[1], "w") as f:
                f.attrs["count"] = np.int64(42)
                f.attrs["note"] = "written by h5py ✓"
                f.attrs["fixed"] = np.bytes_(b"fixed-len")
                f.attrs["vec"] = np.array([1.5, 2.5], dtype=np.float32)
                f.create_dataset("m", data=np.arange(6, dtype=np.float64).reshape(2, 3), chunks=(1, 3), fletcher32=True)
                f.create_dataset("big_endian", data=np.array([1, -2], dtype=">i4"))
                f.create_dataset("u8", data=np.array([1, 2], dtype=np.uint8))
                t = np.dtype([("id", "<i8"), ("cost", "<f8")])
                f.create_dataset("rows", data=np.array([(7, 0.5), (8, 1.5)], dtype=t), maxshape=(None,))
                o = f.create_dataset("orders", (2,), dtype=h5py.vlen_dtype(np.int32))
                o[0] = np.array([3, 1, 2], dtype=np.int32)
                o[1] = np.array([], dtype=np.int32)
            print("done")
            """
        let python = try PythonProcess(script: script, arguments: [file])
        defer { python.stop() }
        XCTAssertEqual(try python.readLine(), "done")
        XCTAssertEqual(try python.wait(), 0, python.errorOutput())

        let f = try HDF5File.open(file)
        XCTAssertEqual(try f.attributes.read("count", as: Int64.self), 42)
        XCTAssertEqual(try f.attributes.read("note", as: String.self), "written by h5py ✓")
        XCTAssertEqual(try f.attributes.read("fixed", as: String.self), "fixed-len")
        XCTAssertEqual(try f.attributes.read("vec", as: [Float].self), [1.5, 2.5])
        let m = try f.root.openDataset("m")
        XCTAssertEqual(try m.shape(), [2, 3])
        XCTAssertEqual(try m.read(as: Double.self), [0, 1, 2, 3, 4, 5])
        XCTAssertEqual(try f.root.openDataset("big_endian").read(as: Int32.self), [1, -2])
        let u8 = try f.root.openDataset("u8")
        XCTAssertEqual(u8.elementType, .unsupported("integer of 1 bytes, unsigned"))
        assertHDF5Error(.typeMismatch) { try u8.read(as: Int32.self) }
        let rows = try f.root.openDataset("rows")
        XCTAssertEqual(try rows.readRows(), [[.int64(7), .double(0.5)], [.int64(8), .double(1.5)]])
        XCTAssertEqual(try f.root.openDataset("orders").readSequences(as: Int32.self), [[3, 1, 2], []])
        try f.close()
        // And it keeps growing from Swift.
        let rw = try HDF5File.open(file, mode: .readWrite)
        try rw.root.openDataset("rows").appendRow([.int64(9), .double(2.5)])
        XCTAssertEqual(try rw.root.openDataset("rows").column("id", as: Int64.self), [7, 8, 9])
    }
}
