import Bounds
import Console
import Elimination

/// `ccelim bench bound`'s measurement, without I/O: how often `ccelim bound` (BoundRun: upper
/// bound, start GroupBound, A*) proves the optimum of generated scalar programs within a budget.
/// A scalar case is the program of `ccelim generate --preset scalar --equations N --inputs I
/// --outputs 1 --seed S` with every value that no equation reads made an output (a function's
/// results; there is no dead code). The generator's own extra outputs are values that later
/// equations read, which gives them copy vertices with identity edges: not the scalar model. A
/// structured case (blocks, rk4, stencils, reductions) is the generator's program as it is (its
/// outputs are its last layer's; copies are searched since bounds16). A program that is still not
/// all-dense-scalar (the mixed preset's tensors) is listed as skipped, not bounded.
public struct BoundBenchmark {
    public struct Case: Sendable {
        public var preset: GraphPreset
        public var equations: Int
        /// The scalar preset's inputs (the structured presets fix theirs).
        public var inputs: Int
        public var seed: UInt64
        public init(preset: GraphPreset = .scalar, equations: Int, inputs: Int, seed: UInt64) {
            self.preset = preset
            self.equations = equations
            self.inputs = inputs
            self.seed = seed
        }
        /// The generator command (scalar: then every unread value an output, which it says).
        public var command: String {
            guard preset == .scalar else {
                return "ccelim generate --preset \(preset.rawValue) --equations \(equations) --seed \(seed)"
            }
            return
                "ccelim generate --preset scalar --equations \(equations) --inputs \(inputs) --outputs 1 --seed \(seed) (unread values as outputs)"
        }

        /// The program: the generator's, and for the scalar preset every value no equation reads
        /// as an output.
        public func graph() -> ComputationalGraph {
            guard preset == .scalar else { return preset.generate(equations: equations, seed: seed) }
            var graph = GraphPreset.scalar.generate(equations: equations, seed: seed, inputs: inputs, outputs: 1)
            var read = Set<Int>()
            for edge in graph.edges { if case .vertex(let u) = edge.source { read.insert(u) } }
            graph.program.outputs = (1...graph.vertexCount).filter { !read.contains($0) }
            // Unread values are never copied, so the build cannot fail where the generator's did not.
            return try! ComputationalGraph.build(name: "\(graph.name)-sinks", program: graph.program)
        }
    }

    /// One case's figures (report nil when skipped).
    public struct Result: Sendable {
        public var testCase: Case
        public var eliminable: Int
        public var outputs: Int
        public var report: BoundReport?
        public var skipped: String?
    }

    /// The run's settings (per case): BoundRun with these fields set.
    public var run: BoundRun

    public init(run: BoundRun) {
        self.run = run
    }

    public func measure(_ c: Case) throws(BoundsError) -> Result {
        let spec = GameSpec(graph: c.graph())
        let outputs = spec.vertexCount - spec.eliminable.count
        guard ScalarGraph.accepts(spec) else {
            return Result(
                testCase: c, eliminable: spec.eliminable.count, outputs: outputs, report: nil,
                skipped: "not all-dense-scalar")
        }
        return Result(
            testCase: c, eliminable: spec.eliminable.count, outputs: outputs, report: try run.run(on: spec),
            skipped: nil)
    }

    /// The results as one JSON object: settings, one row per case and a summary (cases proven
    /// optimal, median seconds of those, median gap of the rest).
    public func json(_ results: [Result], load: Double?, clock: String) -> JSON {
        let bounded = results.compactMap(\.report)
        let proven = bounded.filter { $0.status == .optimal }
        let open = bounded.filter { $0.status != .optimal }
        func median(_ xs: [Double]) -> JSON {
            guard !xs.isEmpty else { return .null }
            let s = xs.sorted()
            let m = s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
            return .double((m * 1000).rounded() / 1000)
        }
        let rows: [JSON] = results.map { r in
            var fields: [(String, JSON)] = [
                ("command", .string(r.testCase.command)), ("preset", .string(r.testCase.preset.rawValue)),
                ("eliminable", .int(r.eliminable)), ("outputs", .int(r.outputs)),
            ]
            if let report = r.report {
                fields += [
                    ("lower_bound", .int(report.lowerBound)),
                    ("root_bound", report.rootBound.map { .int($0) } ?? .null),
                    ("best_cost", .int(report.bestCost)),
                    ("gap", report.gap.map { .double(($0 * 1e6).rounded() / 1e6) } ?? .null),
                    ("status", .string(report.status.rawValue)), ("stop", .string(report.stop)),
                    ("seconds", .double((report.seconds * 1000).rounded() / 1000)), ("expanded", .int(report.expanded)),
                    ("states", .int(report.states)),
                ]
                if let model = report.model {
                    fields += [("model_columns", .int(model.columns)), ("model_rows", .int(model.rows))]
                }
            } else {
                fields.append(("skipped", .string(r.skipped ?? "")))
            }
            return .object(fields)
        }
        let presets: [JSON] = Set(results.map(\.testCase.preset.rawValue)).sorted().map { .string($0) }
        return .object([
            ("benchmark", .string("bound")), ("method", .string(run.method.rawValue)),
            ("presets", .array(presets)),
            ("seconds", run.seconds.map { .double($0) } ?? .null), ("clock", .string(clock)),
            ("start_group_size", .int(run.startGroupSize)), ("start_merge_size", .int(run.startMergeSize)),
            ("start_merge_parts", .int(run.startMergeParts)),
            ("state_group_size", .int(run.stateGroupSize)), ("state_merge_size", .int(run.stateMergeSize)),
            ("packing", .string(run.fractionalStart ? "fractional" : "disjoint")),
            ("precedence_split", .int(run.precedenceSplitNodes)), ("split_ends", .bool(run.splitPathEnds)),
            ("split_focus", run.splitFocusRadius.map { .int($0) } ?? .string("edges")),
            ("split_candidates", .int(run.splitCandidates)), ("split_leaf_guides", .bool(run.splitLeafGuides)),
            ("load_average", load.map { .double($0) } ?? .null),
            ("cases", .array(rows)),
            (
                "summary",
                .object([
                    ("bounded", .int(bounded.count)), ("skipped", .int(results.count - bounded.count)),
                    ("proven_optimal", .int(proven.count)),
                    ("median_seconds_proven", median(proven.map(\.seconds))),
                    ("median_gap_open", median(open.compactMap(\.gap))),
                    ("max_gap_open", open.compactMap(\.gap).max().map { .double(($0 * 1e6).rounded() / 1e6) } ?? .null),
                ])
            ),
        ])
    }
}
