import Console
import PPO
import TOMLKit
import Wire

/// Everything a cluster run is configured with, parsed from cluster.toml (documented field by field
/// in that file). Unknown keys and bad values are errors naming the key: a typo must never be
/// silently ignored. Command-line flags override fields after parsing.
public struct ClusterConfig: Equatable, Sendable {
    public struct Run: Equatable, Sendable {
        public var name = "default"
        public var seed: UInt64 = 1
        public var tasks = ["RoeFlux_1d"]
        public var datasets = "Datasets"
        public var runsDirectory = "runs"
    }

    public struct Coordinator: Equatable, Sendable {
        /// Where the coordinator binds (every interface by default).
        public var bind = "tcp://*:5555"
        /// The address workers and the learner connect to.
        public var advertise = "tcp://127.0.0.1:5555"
    }

    public struct Learner: Equatable, Sendable {
        /// The training algorithm, "ppo" or "alphazero" (`AlgorithmKind`). With AlphaZero the
        /// actors search (`simulations` per move) and send `searchGames`; the learner trains
        /// from its replay buffer and takes every update itself (`gradients` applies to PPO).
        public var algorithm = "ppo"
        /// AlphaZero: simulations of the search per move (nil: the paper's per-task value).
        public var simulations: Int?
        /// AlphaZero: c_scale of the policy improvement (nil: `AlphaZeroHyperparameters`' 1.0);
        /// actors get it in the welcome's search settings.
        public var cScale: Double?
        /// AlphaZero: λ of the leaf values, (1 − λ) · v_net + λ · v_rollout with exact greedy
        /// rollouts, 0 … 1 (nil: `AlphaZeroHyperparameters`' 0, the network alone); actors get it
        /// in the welcome's search settings (protocol 5).
        public var rolloutWeight: Double?
        /// AlphaZero: k of the rollouts, the cheapest of the k greedy rules cheapest from the start,
        /// 1 … 6 (nil: `AlphaZeroHyperparameters`' 1); in the welcome since protocol 6.
        public var rolloutRules: Int?
        /// AlphaZero: E of the rollouts, each rule's last E vertices ordered exactly, 0 … 12 (nil:
        /// `AlphaZeroHyperparameters`' 0); in the welcome since protocol 6.
        public var rolloutEndgame: Int?
        public var preset = "small"
        public var learningRate: Double?
        public var numEnvs: Int?
        public var updateEpochs: Int?
        public var numMinibatches: Int?
        public var entropyCoef: Double?
        public var scheduleUpdates: Int?
        /// Stop after this many updates (0: run until stopped).
        public var updates = 0
        public var checkpointEvery = 10
        public var keepCheckpoints = 3
        /// Episodes played by weights more than this many versions old are dropped (and counted).
        public var maxPolicyLag = 2
        /// At most this many episodes wait for the learner; beyond it actors are told to wait.
        public var maxQueuedEpisodes = 0
        /// Who computes the update's gradients: "actors" (each actor that played the batch takes a
        /// shard, the learner adds the parts and steps Adam) or "learner" (all of it here).
        public var gradients = "actors"
        /// With gradients = "actors": the fewest episodes per helper's shard, so an update has at
        /// most num_envs / this many helpers (each costs the coordinator the parameters and a
        /// gradient per step; Docs/SCALING.md). 1: one helper per episode.
        public var minShardEpisodes = 1
        /// With gradients = "actors": size the helpers to the measured compute and communication
        /// (`GradientHelpers.helperCount`: communication at most a tenth of compute), or false: one
        /// helper per `minShardEpisodes` episodes, as many as were heard from (protocol 3's rule).
        public var sizeHelpers = true
    }

    public struct Actors: Equatable, Sendable {
        /// Actor processes `ccelim worker` starts; 0 means one per core.
        public var perHost = 0
        /// Episodes each actor plays per batch (one batched forward per step).
        public var envsPerActor = 16
    }

    public struct Heartbeat: Equatable, Sendable {
        public var intervalMs = 1000
        /// Missed intervals before a peer is declared dead.
        public var liveness = 5
    }

    public struct Security: Equatable, Sendable {
        public var curve = false
        /// Z85 secret key of the coordinator (its public key is derived and given to workers).
        public var serverSecretKeyFile = ""
        /// One Z85 public key per line: the workers and learners allowed to connect.
        public var allowedKeysFile = ""
        /// This client's own key pair file (worker, learner): public and secret key lines.
        public var clientKeyFile = ""
        public var serverPublicKey = ""
        public var maxMessageBytes = 64 << 20
    }

    public var run = Run()
    public var coordinator = Coordinator()
    public var learner = Learner()
    public var actors = Actors()
    public var heartbeat = Heartbeat()
    public var security = Security()

    public init() {}

    public static func parse(_ text: String, file: String = "cluster.toml") throws(ConfigError) -> ClusterConfig {
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let e as TOMLParseError {
            throw ConfigError(file: file, key: nil, message: "line \(e.source.begin.line): \(e.description)")
        } catch {
            throw ConfigError(file: file, key: nil, message: "\(error)")
        }
        var config = ClusterConfig()
        let reader = TableReader(file: file)
        try reader.sections(table, allowed: ["run", "coordinator", "learner", "actors", "heartbeat", "security"])
        if let t = try reader.section(table, "run") {
            try reader.keys(t, "run", allowed: ["name", "seed", "tasks", "datasets", "runs_directory"])
            config.run.name = try reader.string(t, "run.name", default: config.run.name, pattern: \.isSafeName)
            config.run.seed = UInt64(try reader.int(t, "run.seed", default: Int(config.run.seed), min: 0))
            config.run.tasks = try reader.strings(t, "run.tasks", default: config.run.tasks)
            // Task names and the task list travel in `welcome` (PROTOCOL.md §3).
            guard config.run.tasks.count <= WireLimits.maxTasks else {
                throw reader.fail(
                    "run.tasks",
                    "\(config.run.tasks.count) tasks are more than the protocol allows (1…\(WireLimits.maxTasks), Docs/PROTOCOL.md §7)"
                )
            }
            if let long = config.run.tasks.first(where: { $0.utf8.count > WireLimits.maxNameBytes }) {
                throw reader.fail(
                    "run.tasks",
                    "task name '\(PrintableText.escaped(long, maxCharacters: 40))' is \(long.utf8.count) bytes; the protocol allows 1…\(WireLimits.maxNameBytes) (Docs/PROTOCOL.md §7)"
                )
            }
            config.run.datasets = try reader.string(t, "run.datasets", default: config.run.datasets)
            config.run.runsDirectory = try reader.string(t, "run.runs_directory", default: config.run.runsDirectory)
        }
        if let t = try reader.section(table, "coordinator") {
            try reader.keys(t, "coordinator", allowed: ["bind", "advertise"])
            config.coordinator.bind = try reader.string(
                t, "coordinator.bind", default: config.coordinator.bind, pattern: \.isEndpoint)
            config.coordinator.advertise = try reader.string(
                t, "coordinator.advertise", default: config.coordinator.advertise, pattern: \.isEndpoint)
        }
        if let t = try reader.section(table, "learner") {
            try reader.keys(
                t, "learner",
                allowed: [
                    "algorithm", "simulations", "c_scale", "rollout_weight", "rollout_rules", "rollout_endgame",
                    "preset", "learning_rate", "num_envs",
                    "update_epochs",
                    "num_minibatches",
                    "entropy_coef", "schedule_updates", "updates", "checkpoint_every",
                    "keep_checkpoints", "max_policy_lag", "max_queued_episodes", "gradients",
                    "min_shard_episodes", "size_helpers",
                ])
            config.learner.algorithm = try reader.string(
                t, "learner.algorithm", default: config.learner.algorithm
            ) { AlgorithmKind(rawValue: $0) != nil }
            config.learner.simulations = try reader.optionalInt(
                t, "learner.simulations", min: 1, max: Int(WireLimits.maxSimulations), protocol: true)
            config.learner.cScale = try reader.optionalDouble(t, "learner.c_scale", min: 0, max: 1000)
            config.learner.rolloutWeight = try reader.optionalDouble(t, "learner.rollout_weight", min: 0, max: 1)
            config.learner.rolloutRules = try reader.optionalInt(
                t, "learner.rollout_rules", min: 1, max: WireLimits.maxRolloutRules, protocol: true)
            config.learner.rolloutEndgame = try reader.optionalInt(
                t, "learner.rollout_endgame", min: 0, max: WireLimits.maxRolloutEndgame, protocol: true)
            config.learner.preset = try reader.string(t, "learner.preset", default: config.learner.preset) {
                ["paper", "small"].contains($0)
            }
            config.learner.learningRate = try reader.optionalDouble(t, "learner.learning_rate", min: 0, max: 1)
            // One helper's gradientJob can carry every episode of the update.
            config.learner.numEnvs = try reader.optionalInt(
                t, "learner.num_envs", min: 1, max: WireLimits.maxEpisodesPerMessage, protocol: true)
            config.learner.updateEpochs = try reader.optionalInt(t, "learner.update_epochs", min: 1, max: 100)
            config.learner.numMinibatches = try reader.optionalInt(t, "learner.num_minibatches", min: 1, max: 1024)
            config.learner.entropyCoef = try reader.optionalDouble(t, "learner.entropy_coef", min: 0, max: 10)
            config.learner.scheduleUpdates = try reader.optionalInt(
                t, "learner.schedule_updates", min: 1, max: 100_000_000)
            config.learner.updates = try reader.int(t, "learner.updates", default: config.learner.updates, min: 0)
            config.learner.checkpointEvery = try reader.int(
                t, "learner.checkpoint_every", default: config.learner.checkpointEvery, min: 1)
            config.learner.keepCheckpoints = try reader.int(
                t, "learner.keep_checkpoints", default: config.learner.keepCheckpoints, min: 1)
            config.learner.maxPolicyLag = try reader.int(
                t, "learner.max_policy_lag", default: config.learner.maxPolicyLag, min: 0)
            config.learner.maxQueuedEpisodes = try reader.int(
                t, "learner.max_queued_episodes", default: config.learner.maxQueuedEpisodes, min: 0)
            config.learner.gradients = try reader.string(t, "learner.gradients", default: config.learner.gradients) {
                ["actors", "learner"].contains($0)
            }
            config.learner.minShardEpisodes = try reader.int(
                t, "learner.min_shard_episodes", default: config.learner.minShardEpisodes, min: 1,
                max: WireLimits.maxEpisodesPerMessage)
            config.learner.sizeHelpers = try reader.bool(
                t, "learner.size_helpers", default: config.learner.sizeHelpers)
        }
        if let t = try reader.section(table, "actors") {
            try reader.keys(t, "actors", allowed: ["per_host", "envs_per_actor"])
            config.actors.perHost = try reader.int(
                t, "actors.per_host", default: config.actors.perHost, min: 0, max: 1024)
            config.actors.envsPerActor = try reader.int(
                t, "actors.envs_per_actor", default: config.actors.envsPerActor, min: 1,
                max: WireLimits.maxEnvironmentsPerActor, protocol: true)
        }
        if let t = try reader.section(table, "heartbeat") {
            try reader.keys(t, "heartbeat", allowed: ["interval_ms", "liveness"])
            let interval = WireLimits.heartbeatIntervalRangeMs
            config.heartbeat.intervalMs = try reader.int(
                t, "heartbeat.interval_ms", default: config.heartbeat.intervalMs,
                min: Int(interval.lowerBound), max: Int(interval.upperBound), protocol: true)
            config.heartbeat.liveness = try reader.int(
                t, "heartbeat.liveness", default: config.heartbeat.liveness, min: 1, max: 1000)
        }
        if let t = try reader.section(table, "security") {
            try reader.keys(
                t, "security",
                allowed: [
                    "curve", "server_secret_key_file", "allowed_keys_file", "client_key_file",
                    "server_public_key", "max_message_bytes",
                ])
            config.security.curve = try reader.bool(t, "security.curve", default: config.security.curve)
            config.security.serverSecretKeyFile = try reader.string(t, "security.server_secret_key_file", default: "")
            config.security.allowedKeysFile = try reader.string(t, "security.allowed_keys_file", default: "")
            config.security.clientKeyFile = try reader.string(t, "security.client_key_file", default: "")
            config.security.serverPublicKey = try reader.string(t, "security.server_public_key", default: "")
            // Peers refuse a larger message whatever the coordinator's socket lets through.
            config.security.maxMessageBytes = try reader.int(
                t, "security.max_message_bytes", default: config.security.maxMessageBytes,
                min: 1 << 16, max: WireLimits.maxMessageBytes, protocol: true)
        }
        if config.learner.gradients == "actors" && config.algorithm == .ppo {
            let hp = config.hyperparameters
            let steps = hp.updateEpochs * hp.numMinibatches
            guard steps <= WireLimits.maxGradientSteps else {
                throw reader.fail(
                    "learner.update_epochs",
                    "\(hp.updateEpochs) epochs × \(hp.numMinibatches) minibatches = \(steps) gradient steps per update, more than a gradientJob carries (1…\(WireLimits.maxGradientSteps), Docs/PROTOCOL.md §7); lower update_epochs or num_minibatches, or set gradients = \"learner\""
                )
            }
        }
        return config
    }
}

/// A bad configuration: which file, which key, what is wrong.
public struct ConfigError: Error, Equatable, CustomStringConvertible {
    public var file: String
    public var key: String?
    public var message: String

    /// One printable line (PrintableText): the message may quote a value from the file.
    public var description: String {
        PrintableText.escaped(key.map { "\(file): \($0): \(message)" } ?? "\(file): \(message)")
    }
}

/// Typed, checked access to TOML tables, every failure naming the dotted key.
private struct TableReader {
    let file: String

    func fail(_ key: String?, _ message: String) -> ConfigError { ConfigError(file: file, key: key, message: message) }

    func sections(_ t: TOMLTable, allowed: [String]) throws(ConfigError) {
        for k in t.keys where !allowed.contains(k) {
            throw fail(k, "unknown section or key (expected one of: \(allowed.joined(separator: ", ")))")
        }
    }

    func section(_ t: TOMLTable, _ name: String) throws(ConfigError) -> TOMLTable? {
        guard let v = t[name] else { return nil }
        guard let table = v.table else { throw fail(name, "must be a table ([\(name)])") }
        return table
    }

    func keys(_ t: TOMLTable, _ section: String, allowed: [String]) throws(ConfigError) {
        for k in t.keys where !allowed.contains(k) {
            throw fail("\(section).\(k)", "unknown key (expected one of: \(allowed.joined(separator: ", ")))")
        }
    }

    private func leaf(_ key: String) -> String { String(key.split(separator: ".").last!) }

    func string(
        _ t: TOMLTable, _ key: String, default d: String, pattern: (String) -> Bool = { _ in true }
    ) throws(ConfigError) -> String {
        guard let v = t[leaf(key)] else { return d }
        guard let s = v.string else { throw fail(key, "must be a string") }
        guard pattern(s) else { throw fail(key, "'\(s)' is not a valid value") }
        return s
    }

    func strings(_ t: TOMLTable, _ key: String, default d: [String]) throws(ConfigError) -> [String] {
        guard let v = t[leaf(key)] else { return d }
        guard let array = v.array else { throw fail(key, "must be an array of strings") }
        var out: [String] = []
        for element in array {
            guard let s = element.string, !s.isEmpty else { throw fail(key, "must be an array of non-empty strings") }
            out.append(s)
        }
        guard !out.isEmpty else { throw fail(key, "must name at least one task") }
        return out
    }

    /// `protocol`: the range is the cluster protocol's (Docs/PROTOCOL.md §7), and the error says so.
    func int(
        _ t: TOMLTable, _ key: String, default d: Int, min: Int = .min, max: Int = .max, protocol: Bool = false
    ) throws(ConfigError) -> Int {
        try optionalInt(t, key, min: min, max: max, protocol: `protocol`) ?? d
    }

    func optionalInt(
        _ t: TOMLTable, _ key: String, min: Int = .min, max: Int = .max, protocol: Bool = false
    ) throws(ConfigError) -> Int? {
        guard let v = t[leaf(key)] else { return nil }
        guard let i = v.int else { throw fail(key, "must be an integer") }
        guard i >= min && i <= max else {
            throw fail(
                key,
                "\(i) is out of range (\(min)…\(max)\(`protocol` ? ", the cluster protocol's bound, Docs/PROTOCOL.md §7" : ""))"
            )
        }
        return i
    }

    func optionalDouble(_ t: TOMLTable, _ key: String, min: Double, max: Double) throws(ConfigError) -> Double? {
        guard let v = t[leaf(key)] else { return nil }
        guard let x = v.double ?? v.int.map(Double.init) else { throw fail(key, "must be a number") }
        guard x.isFinite, x >= min, x <= max else { throw fail(key, "\(x) is out of range (\(min)…\(max))") }
        return x
    }

    func bool(_ t: TOMLTable, _ key: String, default d: Bool) throws(ConfigError) -> Bool {
        guard let v = t[leaf(key)] else { return d }
        guard let b = v.bool else { throw fail(key, "must be true or false") }
        return b
    }
}

extension String {
    /// Letters, digits, '-', '_' and '.': safe as a directory name.
    var isSafeName: Bool {
        !isEmpty && count <= 128 && allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." }
            && self != "." && self != ".."
    }

    /// tcp://HOST:PORT, ipc://PATH or inproc://NAME.
    var isEndpoint: Bool {
        if hasPrefix("ipc://") || hasPrefix("inproc://") { return count > 8 }
        guard hasPrefix("tcp://"), let colon = lastIndex(of: ":"), colon > index(startIndex, offsetBy: 6) else {
            return false
        }
        guard let port = Int(self[index(after: colon)...]) else { return false }
        return (0...65535).contains(port)
    }
}
