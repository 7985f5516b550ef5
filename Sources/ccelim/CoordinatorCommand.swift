import ArgumentParser
import Cluster
import ClusterShell
import Foundation
import Wire

/// `ccelim coordinator`: binds, registers actors and the learner, hands out graphs and weights.
struct CoordinatorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "coordinator",
        abstract: "Serve the run's tasks and weights to actors and the learner over ZeroMQ (head node)."
    )

    @OptionGroup var cluster: ClusterOptions
    @Option(help: "Where to listen (overrides [coordinator] bind; tcp://127.0.0.1:0 picks a free port).") var bind:
        String?
    @Option(help: "Write the bound endpoint to this file once listening (for scripts and `ccelim train`).")
    var endpointFile: String?
    @Option(
        help:
            "The checkpoint the learner resumes: an AlphaZero run's welcome then carries its search settings (cluster.toml may leave them out, not name others)."
    ) var resume: String?
    @OptionGroup var graphOptions: GraphOptions

    func run() throws {
        cluster.prepareProcess()
        var config = try cluster.load()
        let log = RoleLog(prefix: "coordinator", verbose: cluster.verbose)
        let tasks = try ClusterTasks.load(config, datasets: graphOptions.datasets)
        var played: (algorithm: AlgorithmCode, search: SearchSettings)
        do {
            played = try config.welcomeAlgorithm()
        } catch {
            throw CLIError("cluster.toml: \(error)")
        }
        if let resume {
            // One source decides a resumed run's search: the checkpoint the learner restores.
            do {
                (config, played) = try ResumedSearch.settle(config, resuming: resume)
            } catch {
                throw CLIError(error.description)
            }
        }
        let settings = CoordinatorSettings(
            tasks: tasks.map(\.spec), seed: config.run.seed, heartbeatIntervalMs: config.heartbeat.intervalMs,
            liveness: config.heartbeat.liveness, environmentsPerActor: config.actorBatchGames,
            maxQueuedEpisodes: config.coordinatorHoldThreshold, algorithm: played.algorithm, search: played.search)
        let server: CoordinatorServer
        do {
            server = try CoordinatorServer(
                settings: settings, bind: bind ?? config.coordinator.bind, security: try config.security.server(),
                maxMessageBytes: config.security.maxMessageBytes, log: log)
        } catch let e as ShellError {
            throw CLIError(e.description)
        }
        log.line(
            "heartbeat \(settings.heartbeatIntervalMs) ms × \(settings.liveness), \(settings.environmentsPerActor) environments per actor, backpressure at \(settings.maxQueuedEpisodes) episodes, seed \(settings.seed)"
        )
        if let endpointFile {
            // Renamed into place so a reader never sees half an address.
            let temporary = endpointFile + ".tmp"
            try Data((server.boundEndpoint + "\n").utf8).write(to: URL(fileURLWithPath: temporary))
            _ = rename(temporary, endpointFile)
        }
        try server.run { SignalTrap.stopRequested }
    }
}
