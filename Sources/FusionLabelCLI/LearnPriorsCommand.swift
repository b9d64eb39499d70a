import ArgumentParser
import Foundation
import FusionLabel

struct LearnPriorsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "learn-priors",
        abstract: "Teach pre-labelling from corrected labels, so the next pass needs fewer fixes.",
        discussion: """
            Compares the pre-labels `prelabel` wrote with the labels annotators kept (OpenLABEL, the
            same frame numbers; an object keeping a pre-label's uid was corrected from it, a new uid
            was drawn from nothing), adds their sizes and corrections to the prior model and writes
            it. Pass the model to `prelabel --priors` for the next frames.
            """)

    @Option(help: "The pre-labels (prelabels.openlabel.json from `prelabel`).")
    var prelabels: String

    @Option(help: "The corrected labels (OpenLABEL).")
    var corrected: String

    @Option(help: "The prior model to update (JSON; the built-in model when the file does not exist yet). Written back atomically.")
    var priors: String

    func run() throws {
        do {
            var model = FileManager.default.fileExists(atPath: priors) ? try PriorModel.read(contentsOf: priors) : PriorModel.standard
            let corrections = PrelabelRun.corrections(prelabels: try OpenLABELDocument.read(contentsOf: prelabels),
                                                      corrected: try OpenLABELDocument.read(contentsOf: corrected))
            model.learn(from: corrections)
            try model.write(to: priors)
            let fromProposals = corrections.filter { $0.fitted != nil }.count
            print("learned from \(corrections.count) boxes (\(fromProposals) corrected proposals, \(corrections.count - fromProposals) drawn anew); "
                  + "car mean length now \(String(format: "%.2f", model.classes[.car]?.meanSize.length ?? .nan)) m; written to \(priors)")
        } catch {
            throw CommandFailure(error)
        }
    }
}
