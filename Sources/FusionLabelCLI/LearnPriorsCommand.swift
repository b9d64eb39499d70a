import ArgumentParser
import Foundation
import FusionIO
import FusionLabel
import FusionPrelabel

struct LearnPriorsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "learn-priors",
        abstract: "Teach pre-labelling from corrected labels, so the next pass needs fewer fixes.",
        discussion: """
            Compares the pre-labels `prelabel` wrote with the labels annotators kept (OpenLABEL, the
            same frame numbers; an object keeping a pre-label's uid was corrected from it, a new uid
            was drawn from nothing), adds their sizes and corrections to the prior model and writes
            it. Pass the model to `prelabel --priors` for the next frames. With --scorer, the
            proposal scorer learns which pre-labels were kept and which deleted, so the next pass
            proposes differently (`prelabel --scorer`).
            """)

    @Option(help: "The pre-labels (prelabels.openlabel.json from `prelabel`).")
    var prelabels: String

    @Option(help: "The corrected labels (OpenLABEL).")
    var corrected: String

    @Option(
        help:
            "The prior model to update (JSON; the built-in model when the file does not exist yet). Written back atomically."
    )
    var priors: String

    @Option(
        help:
            "Also teach this proposal scorer (JSON; the built-in one when the file does not exist yet): kept pre-labels are objects of their kept class, deleted ones background. Written back atomically; pass it to `prelabel --scorer`."
    )
    var scorer: String?

    func run() throws {
        do {
            var model =
                FileManager.default.fileExists(atPath: priors)
                ? try PriorModel.read(contentsOf: priors) : PriorModel.standard
            let proposed = try OpenLABELDocument.read(contentsOf: prelabels)
            let kept = try OpenLABELDocument.read(contentsOf: corrected)
            let corrections = PrelabelRun.corrections(prelabels: proposed, corrected: kept)
            model.learn(from: corrections)
            try model.write(to: priors)
            if let scorer {
                let current =
                    FileManager.default.fileExists(atPath: scorer)
                    ? try ProposalScorer.read(contentsOf: scorer) : ProposalScorer.builtIn
                let examples = PrelabelRun.scorerExamples(prelabels: proposed, corrected: kept)
                try current.updated(with: examples, name: URL(fileURLWithPath: corrected).lastPathComponent).write(
                    to: scorer)
                print(
                    "scorer: \(examples.count) judged pre-labels (\(examples.filter { $0.outcome == .background }.count) deleted); written to \(scorer)"
                )
            }
            let fromProposals = corrections.filter { $0.fitted != nil }.count
            print(
                "learned from \(corrections.count) boxes (\(fromProposals) corrected proposals, \(corrections.count - fromProposals) drawn anew); "
                    + "car mean length now \(String(format: "%.2f", model.classes[.car]?.meanSize.length ?? .nan)) m; written to \(priors)"
            )
        } catch {
            throw CommandFailure(error)
        }
    }
}
