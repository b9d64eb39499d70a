import ArgumentParser
import Foundation
import FusionLabel

/// What pre-labelling can take besides the sweeps, shared by `prelabel` and `annotate`: a prior
/// model, a detector's predictions to merge, 2D detections to lift.
struct PrelabelInputOptions: ParsableArguments {
    @Option(help: "A prior model (JSON, as `PriorModel` saves it) to use instead of the built-in one.")
    var priors: String?

    @Option(
        help:
            "A proposal scorer (JSON, as `train-scorer` writes it) instead of the built-in one: it decides class, confidence and which candidates are objects."
    )
    var scorer: String?

    @Flag(help: "Decide classes by the size priors alone and propose every candidate (no scorer).")
    var noScorer = false

    @Option(
        help:
            "With a scorer: the least probability of being a road user that a candidate needs to be proposed (default: the one chosen when the scorer was trained)."
    )
    var minimumObjectProbability: Double?

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
        if noScorer {
            guard scorer == nil, minimumObjectProbability == nil else {
                throw CommandFailure(message: "--no-scorer goes with neither --scorer nor --minimum-object-probability")
            }
            run.prelabeler.scorer = nil
        }
        if let scorer {
            let model = try ProposalScorer.read(contentsOf: scorer)
            run.prelabeler.scorer = model
            run.prelabeler.minimumObjectProbability =
                minimumObjectProbability ?? model.minimumObjectProbability ?? run.prelabeler.minimumObjectProbability
        } else if let minimumObjectProbability {
            guard (0...1).contains(minimumObjectProbability) else {
                throw CommandFailure(message: "--minimum-object-probability must be in 0...1")
            }
            run.prelabeler.minimumObjectProbability = minimumObjectProbability
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
            run.predictions = (
                isFolder.boolValue
                    ? .kittiFolder(predictions) : .openLABEL(try OpenLABELDocument.read(contentsOf: predictions)), model
            )
        }
        return run
    }
}
