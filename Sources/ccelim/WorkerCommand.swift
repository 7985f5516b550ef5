import ArgumentParser
import Cluster
import ClusterShell
import Foundation

/// `ccelim worker`: N actor processes on this host, all connected to one coordinator. It restarts
/// nothing (a crashed actor is the coordinator's to notice); it waits for its children and passes
/// SIGINT/SIGTERM on to them.
struct WorkerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker", abstract: "Start actor processes on this host (default: one per core).")

    @Option(help: "The coordinator, e.g. tcp://HEAD:5555 (default: [coordinator] advertise).") var connect: String?
    @Option(help: "Actor processes (default: [actors] per_host, 0 meaning one per core).") var actors: Int?
    @OptionGroup var cluster: ClusterOptions

    func validate() throws {
        if let actors, actors < 1 { throw ValidationError("--actors must be at least 1") }
    }

    func run() throws {
        cluster.prepareProcess()
        let config = try cluster.load()
        let count =
            actors ?? (config.actors.perHost > 0 ? config.actors.perHost : ProcessInfo.processInfo.activeProcessorCount)
        let endpoint = connect ?? config.coordinator.advertise
        let log = RoleLog(prefix: "worker", verbose: cluster.verbose)
        log.line("starting \(count) actor(s) for \(endpoint)")
        let children = ChildProcesses()
        var common = ["actor", "--connect", endpoint]
        if let path = cluster.config { common += ["--config", path] }
        if cluster.verbose { common.append("--verbose") }
        for i in 0..<count { try children.start("actor \(i)", common + ["--index", "\(i)"]) }
        while !SignalTrap.stopRequested && !children.wait(seconds: 0.2) {}
        if SignalTrap.stopRequested {
            log.line("signal \(SignalTrap.received): stopping the actors")
            children.signal(SignalTrap.received)
            if !children.wait(seconds: 10) { children.stopAll(graceSeconds: 0) }
        }
        let failed = children.children.filter {
            $0.process.terminationStatus != 0 && $0.process.terminationReason == .exit
        }
        log.line("all actors stopped\(failed.isEmpty ? "" : "; \(failed.count) failed")")
        if !failed.isEmpty { throw ExitCode(1) }
    }
}
