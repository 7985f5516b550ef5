import AlphaZero
import Foundation
import HDF5
import NeuralNet
import PPO

extension CheckpointFile {
    /// Reads and verifies a checkpoint. Refuses, each with its own message naming the file: a
    /// missing, empty, truncated or non-HDF5 file; a checksum mismatch (Fletcher-32 on every
    /// dataset, HDF5's metadata checksums, FNV-1a-64 over the parameters and Adam moments); a
    /// foreign or newer file; a missing dataset or attribute or one of the wrong type or shape.
    public static func read(_ path: String) throws -> TrainerSnapshot {
        let file = try StoredFile.open(
            path, what: "checkpoint", format: CheckpointSchema.format,
            version: CheckpointSchema.version, swmr: false)
        defer { try? file.hdf5.close() }
        return try file.mapping { try readContents(file) }
    }

    private static func readContents(_ f: StoredFile) throws -> TrainerSnapshot {
        let root = f.hdf5.root
        let tensorNames = try f.lines(
            try f.group(root, CheckpointSchema.parametersGroup), CheckpointSchema.tensorOrderAttribute)
        let parametersGroup = try f.group(root, CheckpointSchema.parametersGroup)
        let adam = try f.group(root, CheckpointSchema.adamGroup)
        let firstGroup = try f.group(adam, CheckpointSchema.firstMomentGroup)
        let secondGroup = try f.group(adam, CheckpointSchema.secondMomentGroup)
        var tensors: [(name: String, shape: [Int])] = []
        var parameters: [Float] = [], first: [Float] = [], second: [Float] = []
        for name in tensorNames {
            let p = try f.dataset(parametersGroup, name)
            let shape = try p.shape()
            guard !shape.isEmpty, shape.allSatisfy({ $0 > 0 }) else {
                throw f.schema("\(p.name) has shape \(shape); a parameter tensor needs positive dimensions")
            }
            parameters += try p.read(as: Float.self)
            for (group, buffer) in [(firstGroup, 0), (secondGroup, 1)] {
                let m = try f.dataset(group, name)
                guard try m.shape() == shape else {
                    throw f.schema("\(m.name) has shape \(try m.shape()), its parameter \(shape)")
                }
                let values = try m.read(as: Float.self)
                if buffer == 0 { first += values } else { second += values }
            }
            tensors.append((name, shape))
        }
        let stored = UInt64(bitPattern: try f.int(root, CheckpointSchema.checksumAttribute))
        let actual = checksum(parameters, first, second)
        guard stored == actual else {
            throw CheckpointError(
                .corrupted, f.path,
                "corrupted: the FNV-1a-64 checksum of the parameters and Adam moments is "
                    + "\(hex(actual)), the file records \(hex(stored)); bits changed on disk")
        }

        var rngStates: [String: [UInt64]] = [:]
        let rng = try f.group(root, CheckpointSchema.rngGroup)
        for role in try rng.children() {
            let words = try f.dataset(rng, role)
            guard try words.shape() == [CheckpointSchema.rngStateWords] else {
                throw f.schema(
                    "\(words.name) has shape \(try words.shape()), a random state is [\(CheckpointSchema.rngStateWords)]"
                )
            }
            rngStates[role] = try words.read(as: Int64.self).map { UInt64(bitPattern: $0) }
        }

        var best: [String: BestOrder] = [:], baselines: [String: [Int]] = [:]
        let tasksGroup = try f.group(root, CheckpointSchema.tasksGroup)
        for name in try tasksGroup.children() {
            let task = try f.group(tasksGroup, name)
            if try task.contains("best_order") {
                let order = try task.openDataset("best_order")
                guard try order.shape().count == 1 else {
                    throw f.schema("\(order.name) must be 1-D, found shape \(try order.shape())")
                }
                best[name] = BestOrder(
                    cost: Int(try f.int(order, "best_cost")), order: try order.read(as: Int32.self).map(Int.init))
            }
            if try task.contains("baselines") {
                let b = try task.openDataset("baselines")
                guard try b.shape() == [3] else {
                    throw f.schema("\(b.name) has shape \(try b.shape()), expected [3] (forward, reverse, markowitz)")
                }
                baselines[name] = try b.read(as: Int64.self).map(Int.init)
            }
        }

        let snapshot = TrainerSnapshot(
            tasks: try f.lines(root, "tasks"), network: try readNetwork(f), algorithmState: try readAlgorithmState(f),
            configText: try f.string(root, "config"), seed: UInt64(bitPattern: try f.int(root, "seed")),
            tensors: tensors, parameters: parameters, firstMoment: first, secondMoment: second,
            adamStep: Int(try f.int(root, "adam_step")), updates: Int(try f.int(root, "updates")),
            policyVersion: UInt64(bitPattern: try f.int(root, "policy_version")),
            episodes: Int(try f.int(root, "episodes")), steps: Int(try f.int(root, "steps")),
            rngStates: rngStates, best: best, baselines: baselines)
        // Last, so a file of another schema is refused as such first.
        try StringAttributesChecksum.verify(f, what: "config, tasks, names")
        return snapshot
    }

    private static func readNetwork(_ f: StoredFile) throws -> NetworkConfig {
        let group = try f.group(f.hdf5.root, CheckpointSchema.networkGroup)
        func encoder(_ role: String) throws -> EncoderConfig {
            let sub = try f.group(group, role)
            var config = EncoderConfig(width: 0, heads: 0, headDim: 0, ffnWidth: 0, layers: 0)
            for (name, key) in EncoderFields.all { config[keyPath: key] = Int(try f.int(sub, name)) }
            return config
        }
        return NetworkConfig(
            name: try f.string(group, "name"), policy: try encoder("policy"), value: try encoder("value"),
            features: Int(try f.int(group, "features")))
    }

    /// The algorithm's part: the `algorithm` attribute (absent: PPO, a file from before AlphaZero)
    /// decides which fields /hyperparameters holds and whether /replay is read.
    private static func readAlgorithmState(_ f: StoredFile) throws -> any AlgorithmState {
        let root = f.hdf5.root
        var algorithm = AlgorithmKind.ppo
        if try f.hdf5.attributes.contains(CheckpointSchema.algorithmAttribute) {
            let name = try f.string(root, CheckpointSchema.algorithmAttribute)
            guard let kind = AlgorithmKind(rawValue: name) else {
                throw f.schema(
                    "the algorithm '\(name)' is unknown to this build (it knows \(AlgorithmKind.allCases.map(\.rawValue).joined(separator: ", ")))"
                )
            }
            algorithm = kind
        }
        let group = try f.group(root, CheckpointSchema.hyperparametersGroup)
        switch algorithm {
        case .ppo:
            var hp = Hyperparameters()
            for field in HyperparameterFields.all {
                if case .bool(let name, let key) = field, let absent = HyperparameterFields.absentInOlderFiles[name],
                    try !group.attributes.contains(name)
                {
                    hp[keyPath: key] = absent
                    continue
                }
                switch field {
                case .int(let name, let key): hp[keyPath: key] = Int(try f.int(group, name))
                case .float(let name, let key): hp[keyPath: key] = try f.float(group, name)
                case .bool(let name, let key): hp[keyPath: key] = try f.int32(group, name) != 0
                }
            }
            return hp
        case .alphaZero:
            var hp = AlphaZeroHyperparameters()
            for field in AlphaZeroHyperparameterFields.all {
                if let absent = AlphaZeroHyperparameterFields.absentInOlderFiles[field.name],
                    try !group.attributes.contains(field.name)
                {
                    switch field {
                    case .int(_, let key): hp[keyPath: key] = Int(absent)
                    case .double(_, let key): hp[keyPath: key] = absent
                    case .float(_, let key): hp[keyPath: key] = Float(absent)
                    }
                    continue
                }
                switch field {
                case .int(let name, let key): hp[keyPath: key] = Int(try f.int(group, name))
                case .double(let name, let key): hp[keyPath: key] = try f.double(group, name)
                case .float(let name, let key): hp[keyPath: key] = try f.float(group, name)
                }
            }
            let (games, added) = try readReplay(f)
            return AlphaZeroState(settings: hp, replay: games, replayAdded: added)
        }
    }

    /// /replay: the games, each with its order and its improved policies cut from the
    /// concatenated datasets by the stored lengths.
    private static func readReplay(_ f: StoredFile) throws -> (games: [SearchEpisode], added: Int) {
        let group = try f.group(f.hdf5.root, CheckpointSchema.replayGroup)
        let count = Int(try f.int(group, ReplaySchema.gamesAttribute))
        let added = Int(try f.int(group, ReplaySchema.addedAttribute))
        guard count >= 0, added >= count else {
            throw f.schema("/replay holds \(count) games after \(added) added")
        }
        guard count > 0 else { return ([], added) }
        func column<T: HDF5Numeric>(_ name: String, _ type: T.Type) throws -> [T] {
            let d = try f.dataset(group, name)
            guard try d.shape() == [count] else {
                throw f.schema("\(d.name) has shape \(try d.shape()), expected [\(count)] (one per game)")
            }
            return try d.read(as: T.self)
        }
        let tasks = try column(ReplaySchema.task, Int32.self)
        let actors = try column(ReplaySchema.actor, Int32.self)
        let versions = try column(ReplaySchema.policyVersion, Int64.self)
        let lengths = try column(ReplaySchema.length, Int32.self).map(Int.init)
        guard lengths.allSatisfy({ $0 >= 0 }) else { throw f.schema("/replay/length holds a negative length") }
        let moves = lengths.reduce(0, +)
        let policyNumbers = lengths.reduce(0) { $0 + SearchEpisode.policyCount(eliminable: $1) }
        func flat<T: HDF5Numeric>(_ name: String, _ type: T.Type, _ expected: Int) throws -> [T] {
            guard expected > 0 else { return [] }
            let d = try f.dataset(group, name)
            guard try d.shape() == [expected] else {
                throw f.schema("\(d.name) has shape \(try d.shape()), the lengths add up to [\(expected)]")
            }
            return try d.read(as: T.self)
        }
        let orders = try flat(ReplaySchema.orders, Int32.self, moves)
        let policies = try flat(ReplaySchema.improvedPolicies, Float.self, policyNumbers)
        var games: [SearchEpisode] = []
        var orderStart = 0, policyStart = 0
        for g in 0..<count {
            let L = lengths[g], P = SearchEpisode.policyCount(eliminable: L)
            games.append(
                SearchEpisode(
                    task: Int(tasks[g]), order: Array(orders[orderStart..<(orderStart + L)]),
                    improvedPolicies: Array(policies[policyStart..<(policyStart + P)]),
                    policyVersion: UInt64(bitPattern: versions[g]), actor: UInt32(bitPattern: actors[g])))
            orderStart += L
            policyStart += P
        }
        return (games, added)
    }

    static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return "0x" + String(repeating: "0", count: 16 - digits.count) + digits
    }
}
