import Elimination
import Foundation

/// Where a command's graph comes from: a task name in Datasets/, a ccelim graph file, or (a path
/// ending in `.jaxpr`) jaxpr text imported on the fly.
public enum GraphSource {
    public static func load(_ argument: String, datasets: String?) throws -> ComputationalGraph {
        if argument.hasSuffix(".jaxpr") {
            let text = try readText(argument)
            let name = URL(fileURLWithPath: argument).deletingPathExtension().lastPathComponent
            do {
                return try ComputationalGraph.fromJaxpr(text, name: name)
            } catch {
                throw TaskFileError(error.inFile(argument).description)
            }
        }
        if argument.contains("/") || argument.hasSuffix(".graph") || FileManager.default.fileExists(atPath: argument) {
            return try loadGraphFile(argument)
        }
        let directory = try Datasets.directory(datasets)
        let path = "\(directory)/\(argument).graph"
        guard FileManager.default.fileExists(atPath: path) else {
            let known = (try? Datasets.taskNames(in: directory)) ?? []
            throw TaskFileError(
                "unknown task '\(argument)'. Known tasks in \(directory): \(known.joined(separator: ", ")). A file path or a .jaxpr file works too."
            )
        }
        return try loadGraphFile(path)
    }

    public static func loadGraphFile(_ path: String) throws -> ComputationalGraph {
        let text = try readText(path)
        do {
            return try GraphFile.read(text, path: path)
        } catch {
            throw TaskFileError(error.description)
        }
    }

    /// Text files ccelim reads whole (graphs, jaxprs, inputs): far above any graph a game state holds.
    public static let maxTextBytes = 256 << 20

    public static func readText(_ path: String) throws -> String {
        if let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int, size > maxTextBytes {
            throw TaskFileError(
                "'\(path)' is \(size >> 20) MiB; ccelim reads text files of at most \(maxTextBytes >> 20) MiB")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TaskFileError("cannot read '\(path)': no such file or not readable")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw TaskFileError("'\(path)' is not UTF-8 text")
        }
        return text
    }
}
