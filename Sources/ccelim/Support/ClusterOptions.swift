import ArgumentParser
import Cluster
import ClusterShell
import Foundation
import TaskFiles
import Wire
import Elimination

/// Options every cluster role shares: the configuration file and the one verbosity flag.
struct ClusterOptions: ParsableArguments {
    @Option(help: "cluster.toml to read (default: ./cluster.toml when present, else the built-in defaults).")
    var config: String?
    @Flag(name: [.short, .long], help: "Log every message-level event, not only the important ones.")
    var verbose = false
    /// Set by `ccelim train` and `ccelim worker` on their children: die with the parent.
    @Option(help: .hidden) var parentPid: Int32?

    func load() throws -> ClusterConfig {
        let path = config ?? (FileManager.default.fileExists(atPath: "cluster.toml") ? "cluster.toml" : nil)
        guard let path else { return ClusterConfig() }
        do {
            return try ClusterConfig.parse(try GraphSource.readText(path), file: path)
        } catch let e as ConfigError {
            throw CLIError(e.description)
        }
    }

    /// Signals become a stop flag; children also follow their parent's death.
    func prepareProcess() {
        SignalTrap.install()
        if let parentPid { ParentDeath.terminateWithParent(expectedParent: parentPid) }
    }
}
