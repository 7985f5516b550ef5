import Foundation
import Wire
import XCTest
import ZeroMQ

/// Issue 12: a registered actor that lies. A fake actor over the real socket sends episodes with
/// forged versions (2^64−1) and NaN or +inf log-probabilities, and answers every gradient request
/// with NaN, −inf or 1e30 parts. The learner refuses each episode by reason, computes each bad
/// shard itself, reports and then excludes the actor, and training finishes with finite, bounded
/// steps and every drop counted in updates.jsonl and summary.json.
final class HostileActorEndToEndTests: ClusterTestCase {
    func testForgedEpisodesAndPoisonedGradientsNeverStopOrSteerTheLearner() throws {
        // The default bound (one update's worth): the forgeries count towards it only until the
        // learner reports them refused (`episodesDropped`), so they never hold the honest actor back.
        // Every actor heard from helps (size_helpers = false), so the fake actor surely gets shards.
        let config = try writeConfig(updates: 5, extra: "size_helpers = false")
        let endpoint = try startCoordinator(config)
        let run = directory.appendingPathComponent("run").path
        let learner = try start(
            ["learner", "--config", config, "--connect", endpoint, "--run-dir", run], log: "learner")
        // The honest actor starts only after the first flood of forgeries (more than the bound):
        // before the learner reported refusals, its very first weightsRequest was held for good.
        var honest: Process?

        let context = try ZMQContext()
        let fake = try ZMQSocket(context, .dealer)
        try fake.connect(endpoint)
        XCTAssertTrue(
            try fake.send(Wire.encode(.hello(Hello(role: .actor, host: "liar", pid: 1, cores: 1, actorIndex: 9)))))
        var poller = ZMQPoller()
        _ = poller.register(fake)
        var actorId: UInt32?
        var poisoned = 0
        var lastBeat = Date.distantPast, lastForgery = Date.distantPast
        let deadline = Date().addingTimeInterval(120)
        while learner.isRunning && Date() < deadline {
            if Date().timeIntervalSince(lastBeat) > 0.15 {
                _ = try fake.send(Wire.encode(.heartbeat))
                lastBeat = Date()
            }
            if let id = actorId, Date().timeIntervalSince(lastForgery) > 2 {
                let forged = [
                    EpisodeRecord(
                        taskIndex: 0, policyVersion: .max, actorId: id, order: [1, 2, 3], logProbs: [-0.1, -0.1, -0.1]),
                    EpisodeRecord(
                        taskIndex: 0, policyVersion: 0, actorId: id, order: [1, 2, 3], logProbs: [.nan, -0.1, -0.1]),
                    EpisodeRecord(
                        taskIndex: 0, policyVersion: 0, actorId: id, order: [1, 2, 3],
                        logProbs: [-0.1, .infinity, -0.1]),
                ]
                _ = try fake.send(Wire.encode(.episodes(forged + forged + forged)))
                lastForgery = Date()
                if honest == nil {
                    honest = try start(
                        ["actor", "--config", config, "--connect", endpoint, "--index", "0"], log: "honest")
                }
            }
            guard try !poller.poll(timeoutMilliseconds: 50).isEmpty else { continue }
            while let frames = try fake.receive(flags: .dontWait) {
                switch try Wire.decode(frames: frames) {
                case let .welcome(w):
                    actorId = w.actorId
                case let .gradientRequest(r):
                    let poison: Float = [Float.nan, -Float.infinity, 1e30][poisoned % 3]
                    poisoned += 1
                    let gradient = [Float](repeating: poison, count: r.parameters.count)
                    _ = try fake.send(
                        Wire.encode(
                            .gradient(
                                GradientReply(
                                    actorId: r.actorId, round: r.round, step: r.step, transitions: 1,
                                    policyLoss: poison, valueLoss: 0, entropy: 0, approxKL: 0,
                                    clipped: 0, gradient: gradient))))
                default:
                    break
                }
            }
        }
        if learner.isRunning {
            XCTFail("the learner did not finish within the deadline:\n\(log("learner"))")
            kill(learner.processIdentifier, SIGTERM)
        }
        learner.waitUntilExit()
        let text = log("learner")
        XCTAssertEqual(learner.terminationStatus, 0, text)
        XCTAssertNotNil(actorId, "the fake actor was welcomed")
        XCTAssertTrue(text.contains("update 5 v5"), text)
        XCTAssertGreaterThanOrEqual(poisoned, 3, "the fake actor was given shards:\n\(text)")
        XCTAssertTrue(text.contains("excluded from gradient rounds"), text)
        XCTAssertTrue(text.contains("future_version") && text.contains("log_prob"), text)

        // Every update row: finite, clipped-scale gradient norms and the drops by reason.
        let rows = try String(contentsOfFile: "\(run)/updates.jsonl", encoding: .utf8).split(separator: "\n").map {
            try jsonObject(String($0))
        }
        XCTAssertEqual(rows.map { $0["update"] as? Int }, [1, 2, 3, 4, 5], "no phantom or duplicate update rows")
        for row in rows {
            let norm = try XCTUnwrap(row["losses/grad_norm"] as? Double, "a finite norm in \(row)")
            XCTAssertLessThan(norm, 1e4, "\(row)")
        }
        let summary = try jsonObject(try String(contentsOfFile: "\(run)/summary.json", encoding: .utf8))
        let dropped = try XCTUnwrap(summary["dropped"] as? [String: Int])
        XCTAssertGreaterThan(dropped["future_version"] ?? 0, 0, "\(dropped)")
        XCTAssertGreaterThan(dropped["log_prob"] ?? 0, 0, "\(dropped)")
        XCTAssertEqual(summary["helpers_excluded"] as? [Int], actorId.map { [Int($0)] }, "\(summary)")
        let norms = rows.compactMap { $0["losses/grad_norm"] as? Double }
        print(
            "hostile actor: \(rows.count) updates, grad norms \(norms.map { String(format: "%.3g", $0) }), poisoned parts sent \(poisoned), dropped \(dropped), excluded \(summary["helpers_excluded"] ?? "-"), faults \(summary["helper_faults"] ?? "-")"
        )
    }

    /// Issue 12: a second learner on the same run folder exits at once naming the holder.
    func testASecondLearnerOnTheSameRunFolderIsRefused() throws {
        let config = try writeConfig(updates: 50)
        let endpoint = try startCoordinator(config)
        let run = directory.appendingPathComponent("run").path
        let first = try start(
            ["learner", "--config", config, "--connect", endpoint, "--run-dir", run], log: "learner1")
        XCTAssertTrue(
            waitFor("the first learner's lock", seconds: 30) {
                ((try? String(contentsOfFile: "\(run)/lock", encoding: .utf8)) ?? "").contains(
                    "pid \(first.processIdentifier)")
            })
        let second = try runCLI(["learner", "--config", config, "--connect", endpoint, "--run-dir", run])
        XCTAssertNotEqual(second.status, 0)
        XCTAssertTrue(
            second.stderr.contains("in use by host") && second.stderr.contains("pid \(first.processIdentifier)"),
            second.stderr)
        let solo = try runCLI(["train", "--solo", "--task", "PropaneCombustion", "--updates", "1", "--run-dir", run])
        XCTAssertNotEqual(solo.status, 0)
        XCTAssertTrue(solo.stderr.contains("pid \(first.processIdentifier)"), solo.stderr)
        XCTAssertTrue(first.isRunning, "the holder is untouched")
    }
}
