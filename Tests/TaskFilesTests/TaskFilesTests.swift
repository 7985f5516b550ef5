import Elimination
import Foundation
import TestFixtures
import XCTest
@testable import TaskFiles

/// Graph sources, the Datasets folder, `--order` and the best-orders file: what every command
/// reads before it does anything.
final class TaskFilesTests: XCTestCase {
    var directory: String!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("taskfiles-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        // A Datasets folder of one task: the chain program as a graph file.
        let graph = try GraphSource.load(TestFixtures.chainJaxprPath, datasets: nil)
        try GraphFile.write(graph).write(toFile: "\(directory!)/chain.graph", atomically: true, encoding: .utf8)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: directory)
    }

    func testGraphSourceLoadsTasksFilesAndJaxprAndNamesTheKnownTasks() throws {
        let byName = try GraphSource.load("chain", datasets: directory)
        let byPath = try GraphSource.load("\(directory!)/chain.graph", datasets: nil)
        XCTAssertEqual(byName.vertexCount, byPath.vertexCount)
        XCTAssertEqual(try Datasets.taskNames(in: directory), ["chain"])
        XCTAssertThrowsError(try GraphSource.load("nosuch", datasets: directory)) { error in
            XCTAssertTrue("\(error)".contains("unknown task 'nosuch'") && "\(error)".contains("chain"), "\(error)")
        }
        XCTAssertThrowsError(try GraphSource.load("\(directory!)/missing.graph", datasets: nil)) { error in
            XCTAssertTrue("\(error)".contains("cannot read"), "\(error)")
        }
    }

    func testBestIsTheStoredOrderElseMarkowitz() throws {
        let graph = try GraphSource.load("chain", datasets: directory)
        let spec = GameSpec(graph: graph)
        let fallback = try OrderChoice.resolve("best", graph: graph, spec: spec, datasets: directory)
        XCTAssertEqual(fallback.order, Baselines.markowitzOrder(spec))
        XCTAssertTrue(fallback.source.hasPrefix("minimal Markowitz"), fallback.source)

        let path = "\(directory!)/\(BestOrdersFile.name)"
        let reverse = Baselines.reverseOrder(spec)
        XCTAssertTrue(
            try BestOrdersFile.record(
                task: "chain", order: reverse, spec: spec, method: "test", found: "today", path: path))
        let stored = try OrderChoice.resolve("best", graph: graph, spec: spec, datasets: directory)
        XCTAssertEqual(stored.order, reverse)
        XCTAssertEqual(stored.source, path)

        // An order of another variant of the task (not a permutation of this graph's vertices) is not used.
        try #"{"chain": {"cost": 1, "order": [1, 2]}}"#.write(toFile: path, atomically: true, encoding: .utf8)
        XCTAssertEqual(
            try OrderChoice.resolve("best", graph: graph, spec: spec, datasets: directory).order,
            Baselines.markowitzOrder(spec))
        // A damaged file is an error, not a silent fallback.
        try "[1, 2".write(toFile: path, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try OrderChoice.resolve("best", graph: graph, spec: spec, datasets: directory)) { error in
            XCTAssertTrue("\(error)".contains(path), "\(error)")
        }
    }

    func testRecordKeepsOnlyStrictlyCheaperValidOrders() throws {
        let spec = GameSpec(graph: try GraphSource.load("chain", datasets: directory))
        let path = "\(directory!)/\(BestOrdersFile.name)"
        let b = BaselineSummary(spec: spec)
        let (cheap, dear) =
            b.forward <= b.reverse
            ? (Baselines.forwardOrder(spec), Baselines.reverseOrder(spec))
            : (Baselines.reverseOrder(spec), Baselines.forwardOrder(spec))
        XCTAssertTrue(
            try BestOrdersFile.record(task: "chain", order: dear, spec: spec, method: "m", found: "f", path: path))
        XCTAssertEqual(
            try BestOrdersFile.record(task: "chain", order: dear, spec: spec, method: "m", found: "f", path: path),
            false, "not cheaper")
        if b.forward != b.reverse {
            XCTAssertTrue(
                try BestOrdersFile.record(
                    task: "chain", order: cheap, spec: spec, method: "m2", found: "f2", path: path))
        }
        let entry = try XCTUnwrap(try BestOrdersFile.entries(path)["chain"])
        XCTAssertEqual(entry.order, b.forward != b.reverse ? cheap : dear)
        XCTAssertEqual(entry.cost, try Baselines.score(entry.order, on: spec).cost)
        XCTAssertThrowsError(
            try BestOrdersFile.record(task: "chain", order: [1], spec: spec, method: "m", found: "f", path: path))
    }

    func testOrderArgument() throws {
        let spec = GameSpec(graph: try GraphSource.load("chain", datasets: directory))
        XCTAssertEqual(try OrderArgument.parse("rev", spec: spec), Baselines.reverseOrder(spec))
        XCTAssertEqual(try OrderArgument.parse("3, 1,2", spec: spec), [3, 1, 2])
        XCTAssertThrowsError(try OrderArgument.parse("1,x", spec: spec)) { error in
            XCTAssertEqual(
                "\(error)",
                "--order: 'x' is not a vertex id; give comma-separated integers like 3,1,2, a baseline (fwd, rev, markowitz) or a file holding an order"
            )
        }
    }

    /// An order file: the JSON of optimize (`order`), bound (`best_order`), search (`results[].order`,
    /// the cheapest taken), a bare array or a plain list; the game re-scores, never the file.
    func testOrderFilesReadEveryCommandsJSONAndPlainLists() throws {
        let graph = try GraphSource.load("chain", datasets: directory)
        let spec = GameSpec(graph: graph)
        let reverse = Baselines.reverseOrder(spec), forward = Baselines.forwardOrder(spec)
        let b = BaselineSummary(spec: spec)
        XCTAssertNotEqual(b.forward, b.reverse, "the test needs two orders of different cost")
        let cheap = b.forward < b.reverse ? forward : reverse
        func ids(_ order: [Int]) -> String { order.map(String.init).joined(separator: ", ") }
        func write(_ name: String, _ text: String) throws -> String {
            let path = "\(directory!)/\(name)"
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }
        // A stated cost is ignored: the cheaper order by the game wins.
        let search = try write(
            "search.json",
            #"{"task": "chain", "results": [{"method": "a", "cost": 1, "order": [\#(ids(forward))]}, "#
                + #"{"method": "b", "cost": 2, "order": [\#(ids(reverse))]}]}"#)
        XCTAssertEqual(try OrderArgument.parse(search, spec: spec), cheap)
        let optimize = try write("optimize.json", #"{"program": "chain", "cost": 0, "order": [\#(ids(reverse))]}"#)
        XCTAssertEqual(try OrderArgument.parse(optimize, spec: spec), reverse)
        let bound = try write("bound.json", #"{"program": "chain", "best_order": [\#(ids(forward))]}"#)
        XCTAssertEqual(try OrderArgument.parse(bound, spec: spec), forward)
        XCTAssertEqual(try OrderArgument.parse(try write("bare.json", "[\(ids(reverse))]"), spec: spec), reverse)
        let plain = try write(
            "order.txt", "# from a notebook\n" + reverse.map(String.init).joined(separator: "\n") + "\n")
        XCTAssertEqual(try OrderArgument.parse(plain, spec: spec), reverse)
        let choice = try OrderChoice.resolve(optimize, graph: graph, spec: spec, datasets: directory)
        XCTAssertEqual(choice.order, reverse)
        XCTAssertEqual(choice.name, "file")
        XCTAssertEqual(choice.source, optimize)

        // Bad files say which file and what is wrong.
        func refused(_ path: String, _ expected: String, line: UInt = #line) {
            XCTAssertThrowsError(try OrderArgument.parse(path, spec: spec), line: line) { error in
                XCTAssertTrue("\(error)".contains(expected) && "\(error)".contains(path), "\(error)", line: line)
            }
        }
        refused("\(directory!)/missing.json", "cannot read")
        refused(try write("broken.json", "{\"order\": [1, 2"), "not valid JSON")
        refused(try write("keys.json", #"{"cost": 3}"#), "no \"order\"")
        refused(try write("floats.json", "[1.5, 2]"), "not of vertex ids")
        refused(try write("words.txt", "1 2 x"), "'x' is not a vertex id")
        refused(try write("short.json", "[\(reverse[0])]"), "is not an order of")
    }
}

/// `ccelim jacobian`'s inputs: a batch matches the samples or repeats one point.
final class JacobianInputsTests: XCTestCase {
    func testBatchRepeatsOnePointAndRefusesAMismatch() throws {
        let one = JacobianInputs.Points(samples: [[[1, 2], [3]]], source: "t")
        XCTAssertEqual(try JacobianInputs.batchSize(one, batch: nil), 1)
        XCTAssertEqual(try JacobianInputs.batchSize(one, batch: 3), 3)
        XCTAssertEqual(JacobianInputs.batched(one, batch: 2), [[1, 2, 1, 2], [3, 3]])
        let two = JacobianInputs.Points(samples: [[[1, 2], [3]], [[4, 5], [6]]], source: "t")
        XCTAssertEqual(JacobianInputs.batched(two, batch: 2), [[1, 2, 4, 5], [3, 6]])
        XCTAssertThrowsError(try JacobianInputs.batchSize(two, batch: 3)) {
            XCTAssertTrue("\($0)".hasPrefix("--batch 3 does not match the 2 samples"), "\($0)")
        }
    }

    func testWithoutAFileTheValuesAreDeterministicAndInsideTheDomain() throws {
        let graph = try TestFixtures.chain()
        let a = try JacobianInputs.load(nil, graph: graph, datasets: "/nonexistent")
        let b = try JacobianInputs.load(nil, graph: graph, datasets: "/nonexistent")
        XCTAssertEqual(a.samples, b.samples)
        XCTAssertTrue(a.samples[0].joined().allSatisfy { $0 >= 0.2 && $0 < 0.8 })
        XCTAssertEqual(a.samples[0].map(\.count), graph.program.inputs.map(\.type.elementCount))
    }

    /// Every number of an inputs file (and so of a constants file, which is read the same way) is
    /// the nearest Double to its digits: 17 significant digits read back bit for bit, as the
    /// generated C driver (strtod) reads them. JSONSerialization gave 38 % of such values a few
    /// ulps off (probe26), so the interpreter and the C build evaluated at different points.
    /// Extremes, subnormals, long mantissas, exponents, integers and booleans included.
    func testInputsFileNumbersAreTheNearestDoubles() throws {
        var generator = SystemRandomNumberGenerator()
        var xs: [Double] = [
            0.1, -0.0, .leastNonzeroMagnitude, 0x1.7p-1030, .greatestFiniteMagnitude, 1e-300, 1e300,
            0.30000000000000004, 3,
        ]
        for _ in 0..<2_000 {
            let magnitude = Double(sign: .plus, exponent: Int.random(in: -80...80, using: &generator), significand: 1)
            xs.append(Double.random(in: -1...1, using: &generator) * magnitude)
        }
        // Texts with more digits than a Double holds, and the printed 17 digits of each x.
        let texts =
            ["123456789012345678901234567890", "9007199254740993", "0.1000000000000000055511151231257827", "1E5"]
            + xs.map { String(format: "%.17g", $0) }
        let n = texts.count
        let graph = try ComputationalGraph.fromJaxpr(
            "{ lambda ; a:f64[\(n)] b:bool[2]. let c:f64[\(n)] = sin a in (c,) }", name: "digits")
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("inputs-\(UUID().uuidString).json")
            .path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try "[[\(texts.joined(separator: ", "))], [true, false]]".write(toFile: path, atomically: true, encoding: .utf8)
        let read = try JacobianInputs.load(path, graph: graph, datasets: nil).samples[0]
        let expected = texts.map { Double($0)! }
        XCTAssertEqual(read[0].map { $0.bitPattern }, expected.map { $0.bitPattern })
        XCTAssertEqual(read[1], [1, 0])
        try "[[1, 2".write(toFile: path, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try JacobianInputs.load(path, graph: graph, datasets: nil)) {
            XCTAssertTrue("\($0)".contains("is not valid JSON"), "\($0)")
        }
    }

    /// A rank-3 input is given as a nested array of its JAX shape (2×3×4), not of the matrix the
    /// program stores it as (6×4); the values keep their row-major order.
    func testARank3InputIsReadInItsJaxShape() throws {
        let graph = try ComputationalGraph.fromJaxpr(
            "{ lambda ; a:f64[2,3,4] b:f64[2]. let c:f64[2,3,4] = sin a in (c,) }", name: "r3")
        var t: [[[Double]]] = []
        for i in 0..<2 {
            var rows: [[Double]] = []
            for j in 0..<3 { rows.append((0..<4).map { k in Double(12 * i + 4 * j + k) }) }
            t.append(rows)
        }
        let flat: [Double] = (0..<24).map(Double.init)
        XCTAssertEqual(try JacobianInputs.point([t, [0.5, 1.5]], graph: graph, what: "x"), [flat, [0.5, 1.5]])
        var matrix: [[Double]] = []
        for r in 0..<6 { matrix.append((0..<4).map { c in Double(4 * r + c) }) }
        XCTAssertThrowsError(try JacobianInputs.point([matrix, [0.5, 1.5]], graph: graph, what: "x")) {
            XCTAssertTrue("\($0)".contains("expected 2 entries (shape [2, 3, 4]), found 6"), "\($0)")
            XCTAssertTrue("\($0)".contains("f64[2,3,4]"), "\($0)")
        }
        XCTAssertThrowsError(try JacobianInputs.point([t], graph: graph, what: "x")) {
            XCTAssertTrue("\($0)".contains("(a:f64[2,3,4] b:f64[2])"), "\($0)")
        }
    }
}
