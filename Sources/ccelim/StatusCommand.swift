import ArgumentParser
import Cluster
import ClusterShell
import Wire

/// `ccelim status`: the coordinator's table of peers, versions, episodes/s and best costs.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show a running cluster: peers, weights version, episodes/s, best cost per task."
    )

    @Option(help: "The coordinator (default: [coordinator] advertise).") var connect: String?
    @OptionGroup var cluster: ClusterOptions
    @Flag(help: "Print one JSON object.") var json = false

    func run() throws {
        let config = try cluster.load()
        let reply: StatusReply
        do {
            reply = try StatusClient.fetch(
                connect ?? config.coordinator.advertise, security: try config.security.client())
        } catch let e as ShellError {
            throw CLIError(e.description)
        }
        if json {
            print(reply.json.text)
        } else {
            for line in reply.lines { print(line) }
        }
    }
}
