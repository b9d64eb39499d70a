import ArgumentParser
import Foundation
import FusionIO
import FusionLabel
import FusionPrelabel

/// What pre-labelling can take besides the sweeps, shared by `prelabel` and `annotate`: a prior
/// model, the scorer, a detector's predictions to merge, 2D detections to lift.
struct PrelabelInputOptions: ParsableArguments {
    @Option(help: "A prior model (JSON, as `PriorModel` saves it) to use instead of the built-in one.")
    var priors: String?

    @OptionGroup var scoring: ScorerOptions

    @Option(
        help:
            "A detector's predictions to merge: a folder of KITTI object files with scores (<frame>.txt), or an OpenLABEL file."
    )
    var predictions: String?

    @Option(help: "The detector's name, kept in the provenance of its boxes.")
    var model = "detector"

    @Option(
        help:
            "A folder of 2D detections to fuse: <frame>.json (camera, label, score, left, top, right, bottom) or <frame>.txt (KITTI rows)."
    )
    var detections: String?

    /// `run` with the prior model, predictions and detections given.
    /// - Throws: `CommandFailure` for a missing folder or file, `ReadError` for unreadable ones.
    func configured(_ run: PrelabelRun) throws -> PrelabelRun {
        var run = run
        if let priors { run.prelabeler.priors = try PriorModel.read(contentsOf: priors) }
        try scoring.configure(&run.prelabeler)
        if let detections {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: detections, isDirectory: &isFolder), isFolder.boolValue else {
                throw CommandFailure(message: "\(detections): no such folder")
            }
            run.detections = detections
        }
        if let predictions {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: predictions, isDirectory: &isFolder) else {
                throw CommandFailure(message: "\(predictions): no such file or folder")
            }
            run.predictions = (
                isFolder.boolValue
                    ? .kittiFolder(predictions) : .openLABEL(try OpenLABELDocument.read(contentsOf: predictions)), model
            )
        }
        return run
    }
}
