import ArgumentParser
import FusionSupport

/// `fusionlabel`: the command-line front end. Thin: parses arguments, calls the library, prints.
@main
struct FusionLabelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fusionlabel",
        abstract: "LiDAR/camera sensor-fusion annotation engine.",
        version: FusionLabelVersion.current,
        subcommands: [
            InspectCommand.self, ProjectCommand.self, CalibCheckCommand.self, RenderCommand.self, SimulateCommand.self,
            ValidateSyntheticCommand.self, TrackCommand.self, EvaluateCommand.self, AuditCommand.self,
            AgreeCommand.self, ReviewCommand.self, QACommand.self, PrelabelCommand.self, LearnPriorsCommand.self,
            TrainScorerCommand.self,
            AnnotateCommand.self, ReviewPageCommand.self, BenchCommand.self, ImportBagCommand.self,
            ExportFoxgloveCommand.self, ExportNuScenesCommand.self, ImportNuScenesCommand.self
        ])
}
