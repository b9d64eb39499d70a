import ArgumentParser
import FusionPrelabel

/// Which proposal scorer pre-labelling uses and at what operating point, shared by every command
/// that pre-labels (`prelabel`, `annotate`, `evaluate misses`).
struct ScorerOptions: ParsableArguments {
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

    /// Sets `prelabeler`'s scorer and operating point as given.
    /// - Throws: `CommandFailure` for options that contradict each other or a probability out of
    ///   0...1, `ReadError` for an unreadable scorer file.
    func configure(_ prelabeler: inout Prelabeler) throws {
        if noScorer {
            guard scorer == nil, minimumObjectProbability == nil else {
                throw CommandFailure(message: "--no-scorer goes with neither --scorer nor --minimum-object-probability")
            }
            prelabeler.scorer = nil
        }
        if let minimumObjectProbability, !(0...1).contains(minimumObjectProbability) {
            throw CommandFailure(message: "--minimum-object-probability must be in 0...1")
        }
        if let scorer {
            let model = try ProposalScorer.read(contentsOf: scorer)
            prelabeler.scorer = model
            prelabeler.minimumObjectProbability =
                minimumObjectProbability ?? model.minimumObjectProbability ?? prelabeler.minimumObjectProbability
        } else if let minimumObjectProbability {
            prelabeler.minimumObjectProbability = minimumObjectProbability
        }
    }
}
