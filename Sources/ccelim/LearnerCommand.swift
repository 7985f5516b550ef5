import ArgumentParser
import ClusterShell

/// `ccelim learner`: flags and configuration around `LearnerRun` (ClusterShell), the `Trainer` on
/// the episodes the coordinator routes to it.
struct LearnerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "learner",
        abstract: "Run PPO updates on the cluster's episodes and publish the weights (head node).")

    @Option(help: "The coordinator (default: [coordinator] advertise).") var connect: String?
    @Option(help: "Continue from this checkpoint.") var resume: String?
    @Option(
        name: .customLong("init"),
        help:
            "Start a new run whose first published weights are this checkpoint's (any algorithm; same preset); not with --resume."
    ) var initialize: String?
    @Option(help: "The run folder (default: <runs_directory>/<name> from the config).") var runDir: String?
    @Option(
        help:
            "AlphaZero: seconds of the trained policy's final decode after the last update (as `ccelim train --solo --final-decode-seconds`); a cheaper order becomes the summary's best. Default 0: none."
    ) var finalDecodeSeconds = 0.0
    @Option(
        help:
            "AlphaZero, with --final-decode-seconds: simulations per move of the final search decode (default: the run's)."
    )
    var decodeSimulations: Int?
    @Flag(help: .hidden) var runFolderLockedByParent = false
    @OptionGroup var cluster: ClusterOptions
    @OptionGroup var graphOptions: GraphOptions

    func run() throws {
        BLASSetup.prepare()
        cluster.prepareProcess()
        let config = try cluster.load()
        var learner = LearnerRun(
            config: config, connect: connect, resume: resume, runDir: runDir,
            lockHeldByParent: runFolderLockedByParent, datasets: graphOptions.datasets, codeVersion: ccelimVersion,
            initialize: initialize)
        learner.finalDecodeSeconds = finalDecodeSeconds
        learner.decodeSimulations = decodeSimulations
        try learner.run(log: RoleLog(prefix: "learner", verbose: cluster.verbose))
    }
}
