import ArgumentParser
import ClusterShell
import Console
import PPO
import TaskFiles
import Training

/// `ccelim train`: PPO or (`--algorithm alphazero`) Gumbel AlphaZero. By default an embedded
/// cluster — coordinator, learner and actors as child processes over ZeroMQ on loopback
/// (ClusterTrainCommand.swift); with `--solo`
/// actor and learner in this process (`SoloTraining`, in Training), with checkpoints and an
/// episode log in `--run-dir`, resumable with `--resume`.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract:
            "Learn elimination orders with PPO or Gumbel AlphaZero (an embedded cluster on loopback, or one process with --solo).",
        discussion: """
            With --run-dir DIR the run writes DIR/checkpoint.h5 (plus numbered checkpoint-NNNNNN.h5, \
            the newest --keep-checkpoints kept) every --checkpoint-every updates and at the end, and \
            DIR/episodes.h5 as it goes (readable with h5py while training runs; Docs/CHECKPOINT.md). \
            --resume DIR/checkpoint.h5 continues such a run exactly; --updates is the run's total. \
            Ctrl-C (or SIGTERM) stops training cleanly, the last checkpoint and the summary written and \
            the usual output printed (--solo: after the update in progress; a second Ctrl-C kills at once).
            """
    )

    @Flag(help: "Actor and learner in this process (no coordinator, no sockets).") var solo = false
    @Option(
        help:
            "Training algorithm: ppo or alphazero (default: ppo, or cluster.toml's [learner] algorithm; when resuming, the checkpoint's)."
    ) var algorithm: String?
    @Option(
        help: "AlphaZero: simulations of the search per move (default: the paper's 50, 250 for Perceptron and Encoder)."
    )
    var simulations: Int?
    @Option(
        help:
            "AlphaZero: c_scale of the policy improvement σ = (c_visit + max N) · c_scale · q̂ (default 1.0; lower trusts the policy's prior more, e.g. 0.1 when fine-tuning with --init)."
    )
    var cScale: Double?
    @Option(
        help:
            "AlphaZero: λ of a leaf's value (1 − λ)·network + λ·rollout, the rollout the task's cheapest greedy rule finishing the leaf (default 0: the network alone; 1: rollouts alone)."
    )
    var rolloutWeight: Double?
    @Option(
        help:
            "AlphaZero: k of the rollout, the cheapest of the k greedy rules cheapest from the start state finishing the leaf (1 to 6; default 1)."
    )
    var rolloutRules: Int?
    @Option(
        help:
            "AlphaZero: E of the rollout, vertices each rule's completion orders exactly at the end of the game (0 to 12; default 0)."
    )
    var rolloutEndgame: Int?
    @Option(
        help:
            "AlphaZero: seconds for the trained policy's final decode (its search decode with the run's rollouts, then `ccelim optimize`'s zero-shot pipeline on the trained weights — deviation search, beams, samples, the exact polish and the long-range descent from the cheapest order, the run's best included, then rounds of fresh samples polished and descended — until they are up); with --minutes they end that budget, training stops early enough. In the cluster the learner decodes on its final weights after its last update (the actors are stopped). A cheaper order becomes best_order (best_from \"final-decode\", best_method the stage). Default 0: none."
    )
    var finalDecodeSeconds: Double?
    @Option(
        help:
            "AlphaZero, with --final-decode-seconds: simulations per move of the final search decode (default: the run's --simulations; 0: no search decode, the zero-shot pipeline alone)."
    )
    var decodeSimulations: Int?
    @OptionGroup var cluster: ClusterTrainOptions
    @Option(
        help:
            "Task name, .graph or .jaxpr file, or several task names separated by commas for joint training (default RoeFlux_1d; when resuming, the checkpoint's tasks)."
    ) var task: String?
    @Option(help: "Network preset: paper or small (default small; when resuming, the checkpoint's network).")
    var preset: String?
    @Option(help: "The run's seed: it drives every random stream (default 1; when resuming, the checkpoint's).")
    var seed: UInt64?
    @Option(help: "The run's total number of updates (a resumed run counts those already done).") var updates: Int?
    @Option(help: "Stop after this many minutes (checked between updates).") var minutes: Double?
    @Option(
        help:
            "Episodes per update (AlphaZero: games per update, played in lockstep; default: the paper's per-task value)."
    ) var envs: Int?
    @Option(help: "Updates over which the learning rate decays (default: --updates, else 500).") var scheduleUpdates:
        Int?
    @Option(help: "Write checkpoints and episodes.h5 here (default when resuming: the checkpoint's directory).")
    var runDir: String?
    @Option(help: "Checkpoint every this many updates (and always at the end).") var checkpointEvery = 10
    @Option(help: "Numbered checkpoints to keep.") var keepCheckpoints = 3
    @Option(help: "Continue the run saved in this checkpoint file.") var resume: String?
    @Option(
        name: .customLong("init"),
        help:
            "Start a new run whose first weights are this checkpoint's (any algorithm, e.g. Datasets/policies/generalist.h5; same preset; the cluster's learner publishes them as its first version); not with --resume. AlphaZero --solo: the checkpoint's own zero-shot decode (as `ccelim optimize --seconds 0`, 1 nominal second of work) is a candidate for the best (best_from \"init-decode\")."
    ) var initialize: String?
    @Flag(
        help:
            "If the --resume file is damaged, resume from the newest intact numbered checkpoint in its directory (and say so)."
    )
    var resumeFallback = false
    @OptionGroup var graphOptions: GraphOptions
    @Flag(help: "Print one JSON summary at the end (progress goes to stderr).") var json = false

    func validate() throws {
        if let algorithm, AlgorithmKind(rawValue: algorithm) == nil {
            throw ValidationError(
                "--algorithm '\(algorithm)' is unknown; use \(AlgorithmKind.allCases.map(\.rawValue).joined(separator: " or "))"
            )
        }
        if let updates, updates < 1 { throw ValidationError("--updates must be at least 1") }
        if let minutes, minutes <= 0 { throw ValidationError("--minutes must be positive") }
        if let problem = alphaZero.problem(algorithm: nil, minutes: minutes) { throw ValidationError(problem) }
        if let envs, envs < 1 { throw ValidationError("--envs must be at least 1") }
        if let scheduleUpdates, scheduleUpdates < 1 { throw ValidationError("--schedule-updates must be at least 1") }
        if checkpointEvery < 1 { throw ValidationError("--checkpoint-every must be at least 1") }
        if keepCheckpoints < 1 { throw ValidationError("--keep-checkpoints must be at least 1") }
        if resumeFallback && resume == nil { throw ValidationError("--resume-fallback needs --resume PATH") }
        if let initialize, resume != nil {
            throw ValidationError(
                "--init \(initialize) starts a new run from a checkpoint's weights, --resume continues a run: give one of them"
            )
        }
    }

    /// The options only AlphaZero uses, as given (the solo run and the cluster check them against
    /// the algorithm that runs).
    var alphaZero: AlphaZeroOptions {
        AlphaZeroOptions(
            simulations: simulations, cScale: cScale, rolloutWeight: rolloutWeight, rolloutRules: rolloutRules,
            rolloutEndgame: rolloutEndgame, finalDecodeSeconds: finalDecodeSeconds ?? 0,
            decodeSimulations: decodeSimulations)
    }

    func run() throws {
        BLASSetup.prepare()
        let kind = algorithm.flatMap(AlgorithmKind.init(rawValue:))
        guard solo else {
            // These are the single-process trainer's; the cluster reads them from cluster.toml.
            // Refuse rather than ignore them silently.
            let soloOnly = [
                ("--schedule-updates", scheduleUpdates != nil, "learner.schedule_updates"),
                ("--checkpoint-every", checkpointEvery != 10, "learner.checkpoint_every"),
                ("--keep-checkpoints", keepCheckpoints != 3, "learner.keep_checkpoints"),
                ("--resume-fallback", resumeFallback, nil),
            ]
            if let (flag, _, key) = soloOnly.first(where: { $0.1 }) {
                throw CLIError(
                    "\(flag) applies to `ccelim train --solo`; in cluster mode "
                        + (key.map { "set \($0) in cluster.toml (--config)" } ?? "resume from an intact checkpoint file")
                )
            }
            // The embedded cluster: coordinator, learner and actors as child processes on loopback.
            return try runCluster(algorithm: kind)
        }
        var training = SoloTraining(
            algorithm: kind, task: task, preset: preset, seed: seed, updates: updates, minutes: minutes, envs: envs,
            alphaZero: alphaZero, scheduleUpdates: scheduleUpdates, runDir: runDir,
            checkpointEvery: checkpointEvery,
            keepCheckpoints: keepCheckpoints, resume: resume, resumeFallback: resumeFallback, initialize: initialize,
            commandLine: (["ccelim"] + CommandLine.arguments.dropFirst()).joined(separator: " "),
            codeVersion: ccelimVersion)
        // Ctrl-C (or SIGTERM) ends training after the update in progress, with the checkpoint and the
        // summary written, as the embedded cluster does; a second one kills at once.
        SignalTrap.install(secondKills: true)
        training.stop = { SignalTrap.stopRequested }
        let outcome = try training.run(
            load: { try GraphSource.load($0, datasets: graphOptions.datasets) }, log: Log(toStderr: json))
        if json {
            print(outcome.json.text)
        } else {
            for line in outcome.lines { print(line) }
        }
    }
}
