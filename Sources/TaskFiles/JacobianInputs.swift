import Console
import Elimination
import Foundation
import Randomness
import Jacobian

/// The inputs of `ccelim jacobian`: a JSON file with one nested array per input variable, in the
/// program's order and the input's JAX shape (a scalar input is a bare number; "NaN"/"Infinity" strings are accepted), or
/// `{"samples": [[…per input…], …]}` for several samples. Without a file: the task's safe point
/// from Datasets/sample-inputs.json, else deterministic values in [0.2, 0.8) — positive and inside
/// (−1, 1), the domain of log, sqrt, asin, acos and atanh (acosh still needs inputs ≥ 1: use --inputs).
public enum JacobianInputs {
    /// samples[b][k]: input k of sample b, row-major.
    public struct Points {
        public var samples: [[[Double]]]
        public var source: String

        public init(samples: [[[Double]]], source: String) {
            self.samples = samples
            self.source = source
        }
    }

    public static func load(_ path: String?, graph: ComputationalGraph, datasets: String?) throws -> Points {
        if let path {
            let any = try parseJSON(path)
            if let object = any as? [String: Any] {
                guard let samples = object["samples"] as? [Any], !samples.isEmpty else {
                    throw failure(
                        "\(path): expected an array with one entry per input, or {\"samples\": [...]} with at least one sample"
                    )
                }
                return Points(
                    samples: try samples.enumerated().map {
                        try point($1, graph: graph, what: "\(path): sample \($0)")
                    }, source: path)
            }
            return Points(samples: [try point(any, graph: graph, what: path)], source: path)
        }
        if let sample = try samplePoint(graph: graph, datasets: datasets) { return sample }
        var rng = SplitMix64(seed: 1)
        let values = graph.program.inputs.map { input in
            (0..<input.type.elementCount).map { _ in DefaultPoint.value(Double(rng.next() >> 11) / Double(1 << 53)) }
        }
        return Points(
            samples: [values],
            source: "deterministic sample in [\(DefaultPoint.low), \(DefaultPoint.low + DefaultPoint.width)) (seed 1)")
    }

    /// One point: an array with one nested array per input, each of exactly the input's shape.
    static func point(_ any: Any, graph: ComputationalGraph, what: String) throws -> [[Double]] {
        let program = graph.program
        // Each input in its JAX shape (a rank-3 input as a 2×3×4 nested array, not its stored matrix).
        let inputs = program.inputs.indices.map {
            (name: program.inputs[$0].name, type: program.jaxType(of: .input($0 + 1)))
        }
        guard let array = any as? [Any] else {
            throw failure("\(what): expected an array with one entry per input (\(inputs.count))")
        }
        guard array.count == inputs.count else {
            let names = inputs.map { "\($0.name):\($0.type)" }.joined(separator: " ")
            throw failure(
                "\(what): the program takes \(inputs.count) inputs (\(names)), the file gives \(array.count)")
        }
        return try zip(array, inputs).enumerated().map { k, pair in
            try NestedArray.values(
                pair.0, shape: pair.1.type.shape, what: "\(what): input \(k + 1) ('\(pair.1.name)', \(pair.1.type))")
        }
    }

    /// The task's safe point from Datasets/sample-inputs.json, if the file has one for this graph.
    static func samplePoint(graph: ComputationalGraph, datasets: String?) throws -> Points? {
        guard let directory = try? Datasets.directory(datasets) else { return nil }
        let path = "\(directory)/sample-inputs.json"
        guard FileManager.default.fileExists(atPath: path),
            let tasks = try parseJSON(path) as? [String: Any],
            let entry = (tasks["tasks"] as? [String: Any])?[graph.name] as? [String: Any],
            let inputs = entry["inputs"]
        else { return nil }
        return Points(
            samples: [try point(inputs, graph: graph, what: path)],
            source: "\(path) (\(graph.name), values.json's safe point)")
    }

    static func parseJSON(_ path: String) throws -> Any {
        let text = try GraphSource.readText(path)
        do {
            return try JSONReading.parse(text)
        } catch {
            throw failure("\(path) is not valid JSON: \(error.description)")
        }
    }

    /// The batch: `--batch`, else the number of samples in the inputs. Checked before anything of
    /// the batch's size is allocated (`batched` allocates).
    public static func batchSize(_ points: Points, batch: Int?) throws -> Int {
        let given = points.samples.count
        let b = batch ?? given
        guard b >= 1 else { throw failure("--batch must be at least 1") }
        guard given == 1 || given == b else {
            throw failure(
                "--batch \(b) does not match the \(given) samples in the inputs file; drop --batch or give one sample")
        }
        return b
    }

    /// inputs[k]: input k of every sample, sample-major, as `CompiledJacobian` takes them; a single
    /// point is repeated `batch` times (`batchSize` checked it).
    public static func batched(_ points: Points, batch b: Int) -> [[Double]] {
        let given = points.samples.count
        let inputCount = points.samples[0].count
        return (0..<inputCount).map { k in
            (0..<b).flatMap { points.samples[given == 1 ? 0 : $0][k] }
        }
    }

    /// A one-line failure, made printable (it quotes the file's text).
    private static func failure(_ message: String) -> TaskFileError { TaskFileError(PrintableText.escaped(message)) }
}
