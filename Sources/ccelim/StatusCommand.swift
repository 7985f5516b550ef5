import ArgumentParser
import Cluster
import ClusterShell
import Console
import Foundation
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
            print(
                JSON.object([
                    ("weights_version", .int(Int(reply.weightsVersion))),
                    (
                        "peers",
                        .array(
                            reply.peers.map { p in
                                .object([
                                    ("id", .int(Int(p.id))), ("role", .string("\(p.role)")), ("host", .string(p.host)),
                                    ("pid", .int(Int(p.pid))),
                                    ("last_seen_ms_ago", .int(Int(p.lastSeenMsAgo))),
                                    ("episodes", .int(Int(p.episodes))),
                                    ("episodes_per_second", .double((Double(p.episodesPerSecond) * 10).rounded() / 10)),
                                ])
                            })
                    ),
                    (
                        "tasks",
                        .array(
                            reply.tasks.map { t in
                                .object([
                                    ("name", .string(t.name)), ("best_cost", t.bestCost.map { .int(Int($0)) } ?? .null),
                                ])
                            })
                    ),
                ]).text)
            return
        }
        print("weights v\(reply.weightsVersion), \(reply.peers.count) peers")
        let rows =
            [["id", "role", "host", "pid", "seen", "episodes", "eps/s"]]
            + reply.peers.map { p in
                [
                    "\(p.id)", "\(p.role)", p.host, "\(p.pid)", "\(p.lastSeenMsAgo) ms", "\(p.episodes)",
                    String(format: "%.1f", p.episodesPerSecond),
                ]
            }
        print(TextTable.render(rows))
        for t in reply.tasks { print("\(t.name): best cost \(t.bestCost.map(String.init) ?? "none yet")") }
    }
}
