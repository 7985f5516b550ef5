import ArgumentParser
import Console
import Elimination
import Foundation
import NeuralNet
import PPO

/// `ccelim bench policy`: milliseconds for a policy forward over a batch of 32 RoeFlux_1d states,
/// and for one whole PPO update on 32 episodes (its parts timed too), per network preset.
struct PolicyBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy",
        abstract: "Policy forward (batch of 32 states) and one PPO update (32 episodes), in ms, per preset."
    )

    @Option(help: "Task.") var task = "RoeFlux_1d"
    @Option(help: "Comma-separated presets.") var presets = "small,paper"
    @Option(help: "Timed repetitions (median reported).") var runs = 3
    @Option(help: "Batch size / episodes per update.") var batch = 32
    @OptionGroup var graphOptions: GraphOptions
    @Flag(help: "Print one JSON object.") var json = false

    func run() throws {
        BLASSetup.prepare()
        let graph = try GraphSource.load(task, datasets: graphOptions.datasets)
        let spec = GameSpec(graph: graph)
        var results: [JSON] = []
        for name in presets.split(separator: ",").map(String.init) {
            guard let config = NetworkConfig.preset(name) else { throw CLIError("unknown preset '\(name)'") }
            var hp = Hyperparameters.preset(task: graph.name)
            hp.numEnvs = batch
            let network = try PolicyNetwork(config: config, maxBatch: batch, maxTokens: graph.vertexCount, seed: 1)
            let actor = Actor(network: network, seed: 1, id: 0)
            let learner = Learner(network: network, hp: hp, seed: 1)

            // Forward over 32 copies of the initial state (T = every vertex: the largest step).
            let state = EliminationState(spec: spec)
            let T = TokenFeatures.tokenCount(state)
            var features = [Float](repeating: 0, count: batch * T * TokenFeatures.count)
            var legal = [Bool](repeating: false, count: batch * T)
            var vertices = [Int32](repeating: 0, count: T)
            let mask = [Bool](repeating: true, count: batch * T)
            for row in 0..<batch {
                features.withUnsafeMutableBufferPointer { f in
                    legal.withUnsafeMutableBufferPointer { l in
                        _ = TokenFeatures.write(state, features: f.baseAddress! + row * T * TokenFeatures.count,
                                                vertices: &vertices, legal: l.baseAddress! + row * T)
                    }
                }
            }
            let forward = try (0..<max(runs, 1) * 5).map { _ in
                try time { try network.forwardPolicy(features: features, tokenMask: mask, B: batch, T: T) }
            }
            var rolloutTimes: [Double] = [], replayTimes: [Double] = [], updateTimes: [Double] = []
            for _ in 0..<max(runs, 1) {
                var played: (episodes: [Episode], costs: [Int]) = ([], [])
                rolloutTimes.append(try time { played = try actor.play(spec, task: 0, count: batch, policyVersion: 0) })
                var rollout: RolloutBatch? = nil
                replayTimes.append(try time { rollout = try RolloutBatch(episodes: played.episodes, specs: [spec]) })
                updateTimes.append(try time { _ = try learner.update(&rollout!, learningRate: 1e-4) })
            }
            let entry: [(String, JSON)] = [
                ("preset", .string(name)), ("parameters", .int(network.parameterCount)), ("batch", .int(batch)), ("tokens", .int(T)),
                ("forward_ms", .double(round3(median(forward)))),
                ("rollout_ms", .double(round3(median(rolloutTimes)))),
                ("replay_ms", .double(round3(median(replayTimes)))),
                ("update_ms", .double(round3(median(updateTimes)))),
                ("ppo_update_total_ms", .double(round3(median(rolloutTimes) + median(replayTimes) + median(updateTimes)))),
            ]
            results.append(.object(entry))
            if !json {
                print("\(name): forward(32×\(T)) \(round3(median(forward))) ms, rollout of \(batch) episodes \(round3(median(rolloutTimes))) ms, replay \(round3(median(replayTimes))) ms, PPO update \(round3(median(updateTimes))) ms")
            }
        }
        if json {
            print(JSON.object([("benchmark", .string("policy")), ("task", .string(graph.name)), ("build", .string(buildConfiguration)),
                               ("blas_coretype", .string(ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] ?? "auto")),
                               ("runs", .int(runs)), ("presets", .array(results))]).text)
        }
    }
}

func time(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
}

func round3(_ x: Double) -> Double { (x * 1000).rounded() / 1000 }
