import ArgumentParser
import Console
import TaskFiles
import Training

/// `ccelim pretrain`: imitation pretraining towards expert orders on training programs
/// (`Pretraining`, in Training), written as an ordinary checkpoint.
struct PretrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pretrain",
        abstract: "Pretrain a policy to imitate expert orders (annealing, greedy rules) on training programs.",
        discussion: """
            Each program's expert is the cheapest of its --orders entries (JSON: NAME -> {"order": [...]}, \
            or Datasets/corpus/anneal.json's {"results": ...}) and its forward, reverse and minimal-Markowitz \
            orders. The loss is AlphaZero's: cross-entropy of the policy towards the expert's move (spread \
            over the moves that commute with it, unless --one-hot) plus the value head towards the expert's \
            return in percent of the best baseline. Held-out programs of Datasets/corpus are refused. The \
            --out file is an ordinary PPO checkpoint at update 0 (the epoch whose greedy orders are cheapest \
            relative to the experts): `ccelim optimize --policy FILE` uses it, and `ccelim train --solo \
            --resume FILE --task SAME --updates N` fine-tunes it with PPO.
            """
    )

    @Option(help: "Task names or files separated by commas (default: every train program of Datasets/corpus).")
    var task: String?
    @Option(help: "A JSON file of expert orders by program name (repeatable).") var orders: [String] = []
    @Option(help: "The checkpoint to write.") var out: String
    @Option(help: "Network preset: paper or small.") var preset = "small"
    @Option(help: "Seed of the initial weights and of the minibatch order.") var seed: UInt64 = 1
    @Option(help: "Passes over every expert move.") var epochs = 100
    @Option(help: "Stop after this many minutes (checked between epochs).") var minutes: Double?
    @Option(help: "Peak Adam learning rate (cosine decay to a tenth over --epochs).") var learningRate: Float = 1e-3
    @Option(help: "Moves per Adam step (consecutive moves of one program).") var rowsPerStep = 64
    @Flag(help: "One-hot targets on the expert's move (default: spread over the moves that commute with it).")
    var oneHot = false
    @Option(help: "Score the greedy decode of every program every this many epochs.") var evalEvery = 5
    @Option(
        name: [.customLong("init"), .customLong("initial")],
        help: "Start from this checkpoint's weights (same preset), as `train --init` (--initial: the same).")
    var initial: String?
    @Option(
        help:
            "DAgger: at every evaluation, label this many states along each program's greedy decode with the expert's continuation (0: off)."
    )
    var daggerPoints = 0
    @Option(help: "DAgger: moves labelled from each such state.") var daggerSpan = 8
    @Option(help: "Token features the network reads, the first N (default: all; 24: without the lookahead).")
    var features: Int?
    @Option(help: "PPO episodes per update stored for a fine-tune (train --solo --resume).") var envs = 4
    @Option(help: "PPO learning-rate schedule stored for a fine-tune.") var scheduleUpdates = 100
    @OptionGroup var graphOptions: GraphOptions

    func validate() throws {
        if epochs < 1 { throw ValidationError("--epochs must be at least 1") }
        if let minutes, minutes <= 0 { throw ValidationError("--minutes must be positive") }
        if !(learningRate > 0 && learningRate.isFinite) { throw ValidationError("--learning-rate must be positive") }
        if rowsPerStep < 1 { throw ValidationError("--rows-per-step must be at least 1") }
        if evalEvery < 1 { throw ValidationError("--eval-every must be at least 1") }
        if daggerPoints < 0 || daggerSpan < 1 {
            throw ValidationError("--dagger-points must be 0 or more and --dagger-span at least 1")
        }
        if envs < 1 { throw ValidationError("--envs must be at least 1") }
        if scheduleUpdates < 1 { throw ValidationError("--schedule-updates must be at least 1") }
    }

    func run() throws {
        BLASSetup.prepare()
        let datasets = try Datasets.directory(graphOptions.datasets)
        var pretraining = Pretraining(
            task: task, orderFiles: orders, datasets: datasets, preset: preset, seed: seed, epochs: epochs,
            minutes: minutes, learningRate: learningRate, rowsPerStep: rowsPerStep, soften: !oneHot,
            evalEvery: evalEvery, out: out, initial: initial, envs: envs, scheduleUpdates: scheduleUpdates,
            commandLine: (["ccelim"] + CommandLine.arguments.dropFirst()).joined(separator: " "),
            codeVersion: ccelimVersion)
        pretraining.daggerPoints = daggerPoints
        pretraining.daggerSpan = daggerSpan
        pretraining.features = features
        let outcome = try pretraining.run(
            load: { try GraphSource.load($0, datasets: datasets) }, log: Log(toStderr: false))
        for line in outcome.lines { print(line) }
    }
}
