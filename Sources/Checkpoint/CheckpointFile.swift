import AlphaZero
import Checksum
import HDF5
import NeuralNet
import PPO

/// A TrainerSnapshot as one HDF5 file (schema: CheckpointSchema, Docs/CHECKPOINT.md). Writing is
/// atomic and durable; reading checks everything it can and refuses a damaged, foreign, newer or
/// malformed file with an error that names the file and the problem.
public enum CheckpointFile {
    /// The schema version this build writes and the newest it reads.
    public static var version: Int64 { CheckpointSchema.version }

    /// Writes `snapshot` to `path` atomically: `path` is afterwards either untouched or the
    /// complete new checkpoint, even if the process is killed or the power fails mid-write.
    public static func write(_ snapshot: TrainerSnapshot, to path: String, codeVersion: String = "unknown") throws {
        try DurableFile.replace(path) { temporary in
            do {
                try writeContents(snapshot, to: temporary, codeVersion: codeVersion)
            } catch let error as HDF5Error {
                throw CheckpointError(.writeFailed, path, "could not write the checkpoint", cause: error)
            }
        }
    }

    static func writeContents(_ s: TrainerSnapshot, to path: String, codeVersion: String) throws {
        guard s.tensors.reduce(0, { $0 + $1.shape.reduce(1, *) }) == s.parameters.count,
            s.firstMoment.count == s.parameters.count, s.secondMoment.count == s.parameters.count
        else {
            throw CheckpointError(
                .writeFailed, path, "the snapshot's tensor shapes do not add up to its \(s.parameters.count) parameters"
            )
        }
        // The latest file format checksums every piece of HDF5 metadata (superblock, object
        // headers, chunk indexes), so a flipped bit there is caught as surely as in the data.
        let file = try HDF5File.create(path, swmrCapable: true)
        defer { try? file.close() }
        let root = file.root
        let a = file.attributes
        try a.write("format", CheckpointSchema.format)
        try a.write("version", CheckpointSchema.version)
        try a.write("code_version", codeVersion)
        try a.write("config", s.configText)
        try a.write(CheckpointSchema.algorithmAttribute, s.algorithm.rawValue)
        // HDF5 here stores signed integers only; the unsigned values keep their bit pattern.
        try a.write("seed", Int64(bitPattern: s.seed))
        try a.write("updates", Int64(s.updates))
        try a.write("policy_version", Int64(bitPattern: s.policyVersion))
        try a.write("episodes", Int64(s.episodes))
        try a.write("steps", Int64(s.steps))
        try a.write("adam_step", Int64(s.adamStep))
        try a.write("tasks", s.tasks.joined(separator: "\n"))
        try a.write(
            CheckpointSchema.checksumAttribute, Int64(bitPattern: checksum(s.parameters, s.firstMoment, s.secondMoment))
        )

        try writeNetwork(s.network, in: root)
        try writeAlgorithmState(s.algorithmState, in: root, path: path)

        let parameters = try root.createGroup(CheckpointSchema.parametersGroup)
        try parameters.attributes.write(
            CheckpointSchema.tensorOrderAttribute, s.tensors.map(\.name).joined(separator: "\n"))
        let adam = try root.createGroup(CheckpointSchema.adamGroup)
        let first = try adam.createGroup(CheckpointSchema.firstMomentGroup)
        let second = try adam.createGroup(CheckpointSchema.secondMomentGroup)
        var offset = 0
        for tensor in s.tensors {
            let range = offset..<(offset + tensor.shape.reduce(1, *))
            offset = range.upperBound
            for (group, buffer) in [(parameters, s.parameters), (first, s.firstMoment), (second, s.secondMoment)] {
                try group.createDataset(
                    tensor.name, values: Array(buffer[range]), shape: tensor.shape, storage: .checksummed)
            }
        }

        let rng = try root.createGroup(CheckpointSchema.rngGroup)
        for (role, words) in s.rngStates.sorted(by: { $0.key < $1.key }) {
            try rng.createDataset(role, values: words.map { Int64(bitPattern: $0) }, storage: .checksummed)
        }

        let tasks = try root.createGroup(CheckpointSchema.tasksGroup)
        for name in Set(s.tasks).union(s.best.keys).union(s.baselines.keys).sorted() {
            let group = try tasks.createGroup(name)
            if let best = s.best[name] {
                let order = try group.createDataset(
                    "best_order", values: best.order.map { Int32($0) }, storage: .checksummed)
                try order.attributes.write("best_cost", Int64(best.cost))
            }
            if let baselines = s.baselines[name] {
                try group.createDataset("baselines", values: baselines.map { Int64($0) }, storage: .checksummed)
            }
        }
        try StringAttributesChecksum.record(in: root)
        try file.close()
    }

    /// /hyperparameters with the algorithm's fields, and AlphaZero's /replay.
    private static func writeAlgorithmState(_ state: any AlgorithmState, in root: HDF5Group, path: String) throws {
        let hp = try root.createGroup(CheckpointSchema.hyperparametersGroup)
        switch state {
        case let ppo as Hyperparameters:
            for field in HyperparameterFields.all {
                switch field {
                case .int(let name, let key): try hp.attributes.write(name, Int64(ppo[keyPath: key]))
                case .float(let name, let key): try hp.attributes.write(name, ppo[keyPath: key])
                case .bool(let name, let key): try hp.attributes.write(name, Int32(ppo[keyPath: key] ? 1 : 0))
                }
            }
        case let az as AlphaZeroState:
            for field in AlphaZeroHyperparameterFields.all {
                switch field {
                case .int(let name, let key): try hp.attributes.write(name, Int64(az.settings[keyPath: key]))
                case .double(let name, let key): try hp.attributes.write(name, az.settings[keyPath: key])
                case .float(let name, let key): try hp.attributes.write(name, az.settings[keyPath: key])
                }
            }
            try writeReplay(az, in: root)
        default:
            throw CheckpointError(
                .writeFailed, path, "no checkpoint layout for the \(state.algorithm.rawValue) algorithm's state")
        }
    }

    private static func writeReplay(_ az: AlphaZeroState, in root: HDF5Group) throws {
        let group = try root.createGroup(CheckpointSchema.replayGroup)
        try group.attributes.write(ReplaySchema.gamesAttribute, Int64(az.replay.count))
        try group.attributes.write(ReplaySchema.addedAttribute, Int64(az.replayAdded))
        guard !az.replay.isEmpty else { return }
        let games = az.replay
        try group.createDataset(ReplaySchema.task, values: games.map { Int32($0.task) }, storage: .checksummed)
        try group.createDataset(
            ReplaySchema.actor, values: games.map { Int32(bitPattern: $0.actor) }, storage: .checksummed)
        try group.createDataset(
            ReplaySchema.policyVersion, values: games.map { Int64(bitPattern: $0.policyVersion) },
            storage: .checksummed)
        try group.createDataset(ReplaySchema.length, values: games.map { Int32($0.order.count) }, storage: .checksummed)
        let orders = games.flatMap(\.order)
        if !orders.isEmpty { try group.createDataset(ReplaySchema.orders, values: orders, storage: .checksummed) }
        let policies = games.flatMap(\.improvedPolicies)
        if !policies.isEmpty {
            try group.createDataset(ReplaySchema.improvedPolicies, values: policies, storage: .checksummed)
        }
    }

    private static func writeNetwork(_ network: NetworkConfig, in root: HDF5Group) throws {
        let group = try root.createGroup(CheckpointSchema.networkGroup)
        try group.attributes.write("name", network.name)
        try group.attributes.write("features", Int64(network.features))
        for (role, encoder) in [("policy", network.policy), ("value", network.value)] {
            let sub = try group.createGroup(role)
            for (name, key) in EncoderFields.all {
                try sub.attributes.write(name, Int64(encoder[keyPath: key]))
            }
        }
    }

    /// The stored checksum of `snapshot`'s numbers, as "0x…" hex: equal texts mean bitwise equal
    /// parameters and Adam moments.
    public static func checksumText(_ snapshot: TrainerSnapshot) -> String {
        hex(checksum(snapshot.parameters, snapshot.firstMoment, snapshot.secondMoment))
    }

    /// FNV-1a-64 over the parameters, then the first, then the second Adam moment, each as
    /// little-endian float32 in buffer order.
    static func checksum(_ parameters: [Float], _ firstMoment: [Float], _ secondMoment: [Float]) -> UInt64 {
        var fnv = FNV1a64()
        fnv.add(parameters)
        fnv.add(firstMoment)
        fnv.add(secondMoment)
        return fnv.value
    }
}
