import Elimination
import Foundation

/// Where a command's graph comes from: a task name in Datasets/, a ccelim graph file, or (a path
/// ending in `.jaxpr`) jaxpr text imported on the fly.
enum GraphSource {
    static func load(_ argument: String, datasets: String?) throws -> ComputationalGraph {
        if argument.hasSuffix(".jaxpr") {
            let text = try readText(argument)
            let name = URL(fileURLWithPath: argument).deletingPathExtension().lastPathComponent
            do {
                return try ComputationalGraph.fromJaxpr(text, name: name)
            } catch {
                throw CLIError(error.inFile(argument).description)
            }
        }
        if argument.contains("/") || argument.hasSuffix(".graph") || FileManager.default.fileExists(atPath: argument) {
            return try loadGraphFile(argument)
        }
        let directory = try Datasets.directory(datasets)
        let path = "\(directory)/\(argument).graph"
        guard FileManager.default.fileExists(atPath: path) else {
            let known = (try? Datasets.taskNames(in: directory)) ?? []
            throw CLIError("unknown task '\(argument)'. Known tasks in \(directory): \(known.joined(separator: ", ")). A file path or a .jaxpr file works too.")
        }
        return try loadGraphFile(path)
    }

    static func loadGraphFile(_ path: String) throws -> ComputationalGraph {
        let text = try readText(path)
        do {
            return try GraphFile.read(text, path: path)
        } catch {
            throw CLIError(error.description)
        }
    }

    /// Text files ccelim reads whole (graphs, jaxprs, inputs): far above any graph a game state holds.
    static let maxTextBytes = 256 << 20

    static func readText(_ path: String) throws -> String {
        if let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int, size > maxTextBytes {
            throw CLIError("'\(path)' is \(size >> 20) MiB; ccelim reads text files of at most \(maxTextBytes >> 20) MiB")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CLIError("cannot read '\(path)': no such file or not readable")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw CLIError("'\(path)' is not UTF-8 text")
        }
        return text
    }
}

/// Finds Datasets/: `--datasets DIR`, else $CCELIM_DATASETS, else ./Datasets, else the Datasets/
/// folder above the executable (so `.build/release/ccelim` works from anywhere in a checkout).
enum Datasets {
    static func directory(_ explicit: String?) throws -> String {
        let fm = FileManager.default
        if let explicit { return explicit }
        if let env = ProcessInfo.processInfo.environment["CCELIM_DATASETS"], !env.isEmpty { return env }
        if fm.fileExists(atPath: "Datasets/RoeFlux_1d.graph") { return "Datasets" }
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<6 {
            let candidate = dir.appendingPathComponent("Datasets")
            if fm.fileExists(atPath: candidate.appendingPathComponent("RoeFlux_1d.graph").path) { return candidate.path }
            dir.deleteLastPathComponent()
        }
        throw CLIError("cannot find the Datasets folder: run from the project root, pass --datasets DIR or set CCELIM_DATASETS")
    }

    /// Task names in the order of the paper's table (then any other graph files, sorted).
    static let paperOrder = ["RoeFlux_1d", "RoeFlux_3d", "RobotArm_6DOF", "HumanHeartDipole", "PropaneCombustion",
                             "BlackScholes_Jacobian", "Perceptron", "Encoder", "f", "g"]

    static func taskNames(in directory: String) throws -> [String] {
        let files = try FileManager.default.contentsOfDirectory(atPath: directory)
        let names = files.filter { $0.hasSuffix(".graph") }.map { String($0.dropLast(6)) }
        let known = paperOrder.filter(names.contains)
        return known + names.filter { !paperOrder.contains($0) }.sorted()
    }
}
