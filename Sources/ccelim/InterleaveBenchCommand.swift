import ArgumentParser
import Benchmarks
import Console
import Elimination
import Search
import TaskFiles

/// `ccelim bench interleave PROGRAM --order FILE`: what the exact re-interleaving adds to a
/// finished order against another annealing cycle of the same CPU time (`InterleaveBenchmark`).
struct InterleaveBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "interleave",
        abstract:
            "From one order: the final stage with the exact re-interleaving against one more annealing cycle, same CPU time (JSON)."
    )

    @Argument(help: "A .jaxpr file, a .graph file, or a task name from Datasets.") var program: String
    @Option(help: "The start order: a file (e.g. what `optimize --json` printed), a list, or a baseline.")
    var order: String
    @Option(help: "Vertices per re-interleaved set.") var size = 6
    @Option(help: "CPU seconds per arm.") var seconds = 1.0
    @Option(help: "Seed of the annealing arm.") var seed: UInt64 = 1
    @OptionGroup var graphOptions: GraphOptions

    func validate() throws {
        guard (2...InterleavingPolish.maxSize).contains(size) else {
            throw ValidationError("--size must be from 2 to \(InterleavingPolish.maxSize)")
        }
        guard seconds > 0, seconds.isFinite else { throw ValidationError("--seconds must be positive") }
    }

    func run() throws {
        let graph = try GraphSource.load(program, datasets: graphOptions.datasets)
        let spec = GameSpec(graph: graph)
        let ids = try OrderArgument.parse(order, spec: spec)
        var bench = InterleaveBenchmark(spec: spec)
        bench.size = size
        bench.seconds = seconds
        bench.seed = seed
        let (start, arms) = try bench.run(from: ids)
        print(
            JSON.object([
                ("program", .string(graph.name)), ("eliminable", .int(spec.eliminable.count)),
                ("start", .int(start)), ("size", .int(size)), ("cpu_seconds", .double(seconds)),
                ("seed", .int(Int(seed))), ("load", loadAverage().map(JSON.double) ?? .null),
                ("build", .string(buildConfiguration)),
                (
                    "arms",
                    .array(
                        arms.map {
                            .object([
                                ("arm", .string($0.name)), ("cost", .int($0.cost)),
                                ("cpu_seconds", .double(rounded($0.cpuSeconds))),
                                ("evaluations", .int($0.evaluations)),
                            ])
                        })
                ),
            ]).text)
    }
}
