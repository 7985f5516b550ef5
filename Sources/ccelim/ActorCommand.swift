import ArgumentParser
import Cluster
import ClusterShell
import Foundation
import PPO

/// `ccelim actor`: one actor process (what `ccelim worker` and `ccelim train` start; hidden).
struct ActorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "actor", abstract: "One actor process (started by `ccelim worker`).", shouldDisplay: false)

    @Option(help: "The coordinator.") var connect: String?
    @Option(help: "This actor's index within its worker.") var index = 0
    @OptionGroup var cluster: ClusterOptions

    func run() throws {
        BLASSetup.prepare()
        cluster.prepareProcess()
        let config = try cluster.load()
        guard let preset = NetworkConfig.preset(config.learner.preset) else {
            throw CLIError("unknown preset \(config.learner.preset)")
        }
        let log = RoleLog(prefix: "actor #\(index)", verbose: cluster.verbose)
        do {
            let node = try ActorNode(
                connect: connect ?? config.coordinator.advertise, security: try config.security.client(),
                actorIndex: index, preset: preset, heartbeatIntervalMs: config.heartbeat.intervalMs,
                liveness: config.heartbeat.liveness, log: log)
            try node.run { SignalTrap.stopRequested }
            if let refusal = node.refusal { throw CLIError(refusal) }  // turned away for good: exit 1
        } catch let e as ShellError {
            throw CLIError(e.description)
        }
    }
}
