import Console
import Foundation

extension StatusReply {
    /// `ccelim status --json`: weights version, peers, tasks' best costs.
    public var json: JSON {
        JSON.object([
            ("weights_version", .int(Int(weightsVersion))),
            (
                "peers",
                .array(
                    peers.map { p in
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
                    tasks.map { t in
                        .object([
                            ("name", .string(t.name)), ("best_cost", t.bestCost.map { .int(Int($0)) } ?? .null),
                        ])
                    })
            ),
        ])
    }

    /// `ccelim status` for people: a table of the peers, then each task's best cost.
    public var lines: [String] {
        var out: [String] = []
        out.append("weights v\(weightsVersion), \(peers.count) peers")
        let rows =
            [["id", "role", "host", "pid", "seen", "episodes", "eps/s"]]
            + peers.map { p in
                [
                    "\(p.id)", "\(p.role)", p.host, "\(p.pid)", "\(p.lastSeenMsAgo) ms", "\(p.episodes)",
                    String(format: "%.1f", p.episodesPerSecond),
                ]
            }
        out.append(TextTable.render(rows))
        for t in tasks { out.append("\(t.name): best cost \(t.bestCost.map(String.init) ?? "none yet")") }
        return out
    }
}
