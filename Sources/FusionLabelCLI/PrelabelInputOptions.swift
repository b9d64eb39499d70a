import ArgumentParser
import Foundation
import FusionLabel

/// What pre-labelling can take besides the sweeps, shared by `prelabel` and `annotate`: a prior
/// model, a detector's predictions to merge, 2D detections to lift.
struct PrelabelInputOptions: ParsableArguments {
    @Option(help: "A prior model (JSON, as `PriorModel` saves it) to use instead of the built-in one.")
    var priors: String?

    @Option(help: "A proposal scorer (JSON, as `train-scorer` writes it): it decides class, confidence and which candidates are objects.")
    var scorer: String?

    @Option(help: "With --scorer: the least probability of being a road user that a candidate needs to be proposed (default: the one chosen when the scorer was trained).")
    var minimumObjectProbability: Double?

    @Option(help: "A detector's predictions to merge: a folder of KITTI object files with scores (<frame>.txt), or an OpenLABEL file.")
    var predictions: String?

    @Option(help: "The detector's name, kept in the provenance of its boxes.")
    var model = "detector"

    @Option(help: "A folder of 2D detections to fuse: <frame>.json (camera, label, score, left, top, right, bottom) or <frame>.txt (KITTI rows).")
    var detections: String?

    /// `run` with the prior model, predictions and detections given.
    /// - Throws: `CommandFailure` for a missing folder or file, `ReadError` for unreadable ones.
    func configured(_ run: PrelabelRun) throws -> PrelabelRun {
        var run = run
        if let priors { run.prelabeler.priors = try PriorModel.read(contentsOf: priors) }
        if let scorer {
            let model = try ProposalScorer.read(contentsOf: scorer)
            run.prelabeler.scorer = model
            run.prelabeler.minimumObjectProbability = minimumObjectProbability ?? model.minimumObjectProbability ?? run.prelabeler.minimumObjectProbability
        } else if minimumObjectProbability != nil {
            throw CommandFailure(message: "--minimum-object-probability needs --scorer")
        }
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
            run.predictions = (isFolder.boolValue ? .kittiFolder(predictions) : .openLABEL(try OpenLABELDocument.read(contentsOf: predictions)), model)
        }
        return run
    }
}
