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
    @Flag(help: .hidden) var runFolderLockedByParent = false
    @OptionGroup var cluster: ClusterOptions
    @OptionGroup var graphOptions: GraphOptions

    func run() throws {
        BLASSetup.prepare()
        cluster.prepareProcess()
        let config = try cluster.load()
        try LearnerRun(
            config: config, connect: connect, resume: resume, runDir: runDir,
            lockHeldByParent: runFolderLockedByParent, datasets: graphOptions.datasets, codeVersion: ccelimVersion,
            initialize: initialize
        ).run(log: RoleLog(prefix: "learner", verbose: cluster.verbose))
    }
}
