import Cluster
import Console
import Elimination
import TaskFiles
import Wire

/// The tasks a run trains, read from the Datasets folder: their graphs and the text sent in `welcome`.
public enum ClusterTasks {
    public static func load(
        _ config: ClusterConfig, datasets: String?
    ) throws -> [(graph: ComputationalGraph, spec: TaskSpec)] {
        try config.run.tasks.map { name in
            let path: String
            if name.contains("/") || name.hasSuffix(".graph") {
                path = name
            } else {
                path = "\(try Datasets.directory(datasets ?? config.run.datasets))/\(name).graph"
            }
            let text = try GraphSource.readText(path)
            let graph = try GraphSource.loadGraphFile(path)
            let spec = TaskSpec(name: graph.name, graphText: text)
            if let problem = CoordinatorSettings.welcomeProblem(spec) {
                throw ShellError(PrintableText.escaped("\(path): \(problem) (Docs/PROTOCOL.md §7)"))
            }
            return (graph, spec)
        }
    }
}
