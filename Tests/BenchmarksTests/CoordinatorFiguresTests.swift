import Console
import PPO
import TestFixtures
import Wire
import XCTest
@testable import Benchmarks

/// The arithmetic of `ccelim bench coordinator` (pure functions: no sockets, no clock).
final class CoordinatorFiguresTests: XCTestCase {
    func testFairnessIsMaxOverMean() {
        XCTAssertEqual(CoordinatorFigures.fairness([5, 5, 5, 5]), 1)
        XCTAssertEqual(CoordinatorFigures.fairness([1, 2, 3]), 1.5)
        XCTAssertEqual(CoordinatorFigures.fairness([0, 0, 4]), 3)
        XCTAssertTrue(CoordinatorFigures.fairness([]).isNaN)
        XCTAssertTrue(CoordinatorFigures.fairness([0, 0]).isNaN)
    }

    func testFanoutCountsOnlyVersionsEveryActorReached() {
        let published: [UInt64: Int] = [3: 100, 4: 200, 5: 300]
        let reached: [UInt64: (count: Int, lastMs: Int)] = [3: (4, 140), 4: (3, 260), 5: (4, 305), 6: (4, 999)]
        XCTAssertEqual(CoordinatorFigures.fanoutMs(published: published, reached: reached, actors: 4), [40, 5])
        // An actor that reached a version before its publish was recorded (clock granularity) counts as 0.
        XCTAssertEqual(CoordinatorFigures.fanoutMs(published: [1: 50], reached: [1: (1, 49)], actors: 1), [0])
    }

    func testStepIntervalsStayWithinARoundAndSkipGaps() {
        let arrivals: [(round: UInt64, step: UInt32, ms: Int)] = [
            (1, 0, 10), (1, 1, 25), (1, 2, 45), (2, 0, 100), (2, 2, 150), (2, 3, 151),
        ]
        XCTAssertEqual(CoordinatorFigures.stepIntervalsMs(arrivals.shuffled()), [15, 20, 1])
    }

    func testByteModelGrowsLinearlyInHelpersAndStopsAtTheBatch() {
        let m = CoordinatorByteModel(parameters: 1000, numEnvs: 32, envsPerActor: 16, steps: 16, episodeBytes: 100)
        XCTAssertEqual(m.helpers(actors: 1), 1)
        XCTAssertEqual(m.helpers(actors: 64), 32)
        // 2 batches: episodes in and out, one publish and two weights messages.
        XCTAssertEqual(m.routingBytes(), 2 * 32 * 100 + 3 * 4 * 1000)
        XCTAssertEqual(m.gradientBytes(actors: 4), 16 * 1000 * 16 * 4)
        XCTAssertEqual(
            m.bytesPerUpdate(actors: 8) - m.bytesPerUpdate(actors: 4),
            m.bytesPerUpdate(actors: 4) - m.bytesPerUpdate(actors: 0))
        XCTAssertEqual(m.bytesPerUpdate(actors: 64), m.bytesPerUpdate(actors: 256))
        XCTAssertEqual(m.messages(actors: 1), 4 * 2 + 2 + 1 * (2 + 4 * 16))
        // 1 Gbit/s moves 125 MB/s each way; the busier direction carries half the total.
        let perUpdate = Double(m.bytesPerUpdate(actors: 2))
        XCTAssertEqual(m.updatesPerSecondLimit(actors: 2, bitsPerSecond: 1e9), 125e6 / (perUpdate / 2), accuracy: 1e-9)
    }

    func testFiguresKeepTheContractKeys() {
        let f = CoordinatorFigures(
            actors: 4, episodesPerSecond: 1, weightsFanoutMs: 1, weightsFanoutMaxMs: 1, versionsPublished: 1,
            coordinatorCPUPercent: 1, coordinatorPeakBytes: 1, fairnessMaxOverMean: 1, deadDeclared: 0,
            statusMaxMs: 1, actorsListedMin: 4, routingBytesPerEpisode: 1)
        guard case let .object(fields) = f.json else { return XCTFail("not an object") }
        let keys = fields.map(\.0)
        for key in [
            "actors", "episodes_per_second", "weights_fanout_ms", "round_step_ms", "bytes_per_update",
            "coordinator_cpu_percent", "coordinator_peak_bytes", "fairness_max_over_mean", "dead_declared",
        ] {
            XCTAssertTrue(keys.contains(key), key)
        }
        // The update phase was skipped: its figures are null, not made up.
        XCTAssertEqual(fields.first { $0.0 == "round_step_ms" }?.1.text, "null")
    }

    /// The fleet's shortcut through the two bulky kinds reads what the real encoder wrote.
    func testFleetSkimsWeightsAndGradientRequestsAsTheCodecWroteThem() throws {
        let weights = Wire.encode(.weights(Weights(version: 0x1_0000_0007, preset: "small", parameters: [1, 2, 3])))
        guard case let .weights(w)? = SimulatedFleet.skim(weights) else { return XCTFail("weights not skimmed") }
        XCTAssertEqual(w.version, 0x1_0000_0007)
        let request = Wire.encode(
            .gradientRequest(GradientRequest(actorId: 70_000, round: 1 << 40, step: 15, parameters: [4, 5])))
        guard case let .gradientRequest(r)? = SimulatedFleet.skim(request) else {
            return XCTFail("gradientRequest not skimmed")
        }
        XCTAssertEqual([UInt64(r.actorId), r.round, UInt64(r.step)], [70_000, 1 << 40, 15])
        // Everything else goes to the real decoder.
        XCTAssertNil(SimulatedFleet.skim(Wire.encode(.noNewWeights(currentVersion: 3))))
        XCTAssertNil(SimulatedFleet.skim(Wire.encode(.heartbeat)))
    }

    /// The fleet's pre-encoded zero gradient, patched per reply, decodes as the reply it stands for.
    func testPatchedGradientFramesDecodeToTheReplyTheyStandFor() throws {
        let zeros = [Float](repeating: 0, count: 5)
        func reply(_ actor: UInt32, _ round: UInt64, _ step: UInt32) -> GradientReply {
            GradientReply(
                actorId: actor, round: round, step: step, transitions: 1, policyLoss: 0, valueLoss: 0, entropy: 0,
                approxKL: 0, clipped: 0, gradient: zeros)
        }
        let template = Wire.encode(.gradient(reply(0, 1, 0)))
        let frames = SimulatedFleet.gradientFrames(template, actorId: 70_000, round: 1 << 33 + 5, step: 9)
        XCTAssertEqual(try Wire.decode(frames: frames), .gradient(reply(70_000, 1 << 33 + 5, 9)))
        XCTAssertEqual(frames, Wire.encode(.gradient(reply(70_000, 1 << 33 + 5, 9))))
    }
}

/// The harness itself on real loopback sockets, briefly: 4 simulated actors against the real
/// coordinator and the sink learner (the routing phase only, a fraction of a second).
final class CoordinatorBenchmarkTests: XCTestCase {
    func testRoutingPhaseServesEveryActorAndLosesNone() throws {
        let benchmark = CoordinatorBenchmark(
            taskName: "chain", graph: try TestFixtures.chain(), graphText: "chain (not parsed by simulated actors)",
            preset: TestFixtures.tinyNetwork, seconds: 0.3, playMs: 0, gradientMs: 0, numEnvs: nil, updates: 0,
            fleetThreads: 2)
        let f = try benchmark.route(actors: 4)
        XCTAssertEqual(f.actors, 4)
        XCTAssertEqual(f.actorsListedMin, 4, "every status answer listed the 4 actors")
        XCTAssertEqual(f.deadDeclared, 0)
        XCTAssertGreaterThan(f.episodesPerSecond, 0)
        XCTAssertGreaterThan(f.versionsPublished, 0)
        // Every actor plays one batch per version here, so each played at least once.
        XCTAssertTrue(f.fairnessMaxOverMean.isFinite && f.fairnessMaxOverMean >= 1)
        XCTAssertEqual(f.routingNumEnvs, 4 * 16)
        XCTAssertGreaterThan(f.routingBytesPerEpisode, 4 * Double(f.parameters) / 16, "weights travel per batch")
    }

    /// Both phases with the real learner and a tiny network: the update's gradient traffic goes
    /// through the coordinator (forwarded as received) to the actors that played the batch and
    /// back, as the model counts. Helpers are the actors heard from, so the first update, when one
    /// actor filled its batch alone (a race), has one helper; every update's bytes are checked
    /// against the model for the helpers it used. Run with unsized helpers.
    func testUpdatePhaseUsesEveryActorAsHelperAndMovesTheModelsBytes() throws {
        var benchmark = CoordinatorBenchmark(
            taskName: "chain", graph: try TestFixtures.chain(), graphText: "chain (not parsed by simulated actors)",
            preset: .small, seconds: 0.2, playMs: 0, gradientMs: 0, numEnvs: 8, updates: 2,
            fleetThreads: 1)
        // One helper per actor heard from (the learner's sizing, which may pick one helper for
        // this tiny batch, is GradientHelpers' own tests' business).
        benchmark.unsizedHelpers = true
        let f = try benchmark.measure(actors: 2)
        XCTAssertEqual(f.helpersPerUpdate.count, 2)
        XCTAssertTrue(f.helpersPerUpdate.allSatisfy { (1...2).contains($0) }, "\(f.helpersPerUpdate)")
        XCTAssertEqual(f.helpersPerUpdate.max(), 2, "both actors helped at least once: \(f.helpersPerUpdate)")
        XCTAssertEqual(f.updateEnvsPerActor, 4)
        let steps = benchmark.config.hyperparameters.updateEpochs * benchmark.config.hyperparameters.numMinibatches
        let model = CoordinatorByteModel(
            parameters: f.parameters, numEnvs: 8, envsPerActor: 4, steps: steps, episodeBytes: 0)
        // Parameters out and gradients back for every helper at every step, plus the routing: the
        // model's batches, and at most one more weights message per actor (an actor that asks
        // again while the update runs) and the episodes and control messages (200 KB).
        XCTAssertEqual(f.bytesPerUpdateEach.count, f.helpersPerUpdate.count)
        let routingBound = model.routingBytes() + 2 * 4 * f.parameters + 200_000
        for (helpers, bytes) in zip(f.helpersPerUpdate, f.bytesPerUpdateEach) {
            XCTAssertGreaterThanOrEqual(bytes, model.gradientBytes(actors: helpers))
            XCTAssertLessThan(bytes, model.gradientBytes(actors: helpers) + routingBound)
        }
        XCTAssertTrue(f.roundStepMs.isFinite)
    }
}
