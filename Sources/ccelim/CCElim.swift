import ArgumentParser

/// `ccelim`: one subcommand per verb. Names, flags and `--json` output are a public interface
/// (README "Command line"); keep them stable.
@main
struct CCElim: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ccelim",
        abstract: "Learn cheap vertex-elimination orders for exact Jacobians (cross-country elimination).",
        version: ccelimVersion,
        subcommands: [
            TasksCommand.self,
            BaselinesCommand.self,
            CostCommand.self,
            ImportJaxprCommand.self,
            GenerateCommand.self,
            JacobianCommand.self,
            CodegenCommand.self,
            ExportCommand.self,
            TrainCommand.self,
            EvalCommand.self,
            ReportCommand.self,
            CoordinatorCommand.self,
            LearnerCommand.self,
            WorkerCommand.self,
            ActorCommand.self,
            StatusCommand.self,
            KeysCommand.self,
            BenchCommand.self,
            SearchCommand.self,
            OptimizeCommand.self,
            PretrainCommand.self,
            BoundCommand.self,
            InspectCommand.self,
            DebugCommand.self,
        ]
    )
}

let ccelimVersion = "0.1.0"
