import Foundation
import FusionGeometry
import FusionIO
import FusionSupport
import FusionTestSupport
import Testing

@testable import FusionPrelabel

/// The boosted-tree scorer on problems whose answer is known.
@Suite struct ProposalScorerTests {
    /// Candidates whose outcome follows from two features by a rule the trees must find: long
    /// ones are vehicles, tall thin ones pedestrians, mid-length ones cyclists, flat ones background.
    static func examples(count: Int, seed: UInt64) -> [ProposalScorer.Example] {
        var generator = SeededRandomNumberGenerator(seed: seed)
        return (0..<count).map { _ in
            var features = ProposalFeatures(values: [Float](repeating: 0, count: ProposalFeature.allCases.count))
            features[.length] = Float.random(in: 0...8, using: &generator)
            features[.height] = Float.random(in: 0...2.5, using: &generator)
            features[.residual] = Float.random(in: 0...1, using: &generator)  // noise
            let outcome: ProposalScorer.Outcome =
                features[.height] < 0.5
                ? .background
                : features[.length] > 3 ? .vehicle : features[.length] > 1.2 ? .cyclist : .pedestrian
            return .init(features: features, outcome: outcome)
        }
    }

    static let set = ProposalScorer.Provenance.TrainingSet(name: "rule", sha256: "-", examples: 0)

    @Test func learnsARuleItWasNotToldAndGeneralisesToNewExamples() {
        let model = ProposalScorer.train(Self.examples(count: 2000, seed: 1), sets: [Self.set])
        let unseen = Self.examples(count: 1000, seed: 2)
        let right = unseen.filter { example in
            let probabilities = model.probabilities(example.features)
            return probabilities.indices.max { probabilities[$0] < probabilities[$1] } == example.outcome.rawValue
        }.count
        // Only candidates near a boundary (a bin's width) can be wrong.
        #expect(right >= 960, "\(right) of 1000")
        for example in unseen.prefix(50) {
            let probabilities = model.probabilities(example.features)
            #expect(abs(probabilities.reduce(0, +) - 1) < 1e-9 && probabilities.allSatisfy { $0 >= 0 && $0 <= 1 })
        }
    }

    @Test func trainingIsDeterministicAndRoundTripsThroughJSON() throws {
        let examples = Self.examples(count: 500, seed: 3)
        var parameters = ProposalScorer.TrainingParameters()
        parameters.rounds = 20
        let first = ProposalScorer.train(examples, sets: [Self.set], parameters: parameters)
        let second = ProposalScorer.train(examples, sets: [Self.set], parameters: parameters)
        #expect(first == second)
        let path = TemporaryFiles.file("scorer", suffix: ".json")
        defer { TemporaryFiles.remove(path) }
        try first.write(to: path)
        #expect(try ProposalScorer.read(contentsOf: path) == first)
        #expect(first.provenance.engineVersion == FusionLabelVersion.current && first.trees.count == 20)
    }

    /// Corrections move the model: examples of a new kind (tall long candidates that annotators
    /// deleted as background) make it say background there.
    @Test func updatesLearnFromCorrections() {
        let model = ProposalScorer.train(Self.examples(count: 1000, seed: 4), sets: [Self.set])
        var wall = ProposalFeatures(values: [Float](repeating: 0, count: ProposalFeature.allCases.count))
        wall[.length] = 7
        wall[.height] = 2.4
        let deleted = (0..<60).map { index -> ProposalScorer.Example in
            var features = wall
            features[.length] = 6.5 + Float(index) / 60
            return .init(features: features, outcome: .background)
        }
        let before = model.probabilities(wall)[ProposalScorer.Outcome.background.rawValue]
        let updated = model.updated(with: deleted, name: "corrections 1")
        let after = updated.probabilities(wall)[ProposalScorer.Outcome.background.rawValue]
        #expect(before < 0.2 && after > 0.5, "background \(before) -> \(after)")
        #expect(updated.trees.count == model.trees.count + model.provenance.parameters.updateRounds)
        #expect(updated.provenance.updates.map(\.name) == ["corrections 1"])
    }

    @Test func malformedModelsAreRefusedWithWhere() throws {
        var parameters = ProposalScorer.TrainingParameters()
        parameters.rounds = 2
        let model = ProposalScorer.train(Self.examples(count: 100, seed: 5), sets: [Self.set], parameters: parameters)
        var loop = model
        loop.trees[0][0].nodes[0] = .init(feature: 0, threshold: 1, left: 0, right: 0, value: 0)
        var unknownFeature = model
        unknownFeature.features[0] = "colour"
        for (broken, path) in [(loop, "trees[0][0]"), (unknownFeature, "features")] {
            let data = try JSONEncoder().encode(broken)
            #expect(throws: ReadError.self) { try ProposalScorer.parse(data) }
            do {
                _ = try ProposalScorer.parse(data, file: "model.json")
            } catch {
                #expect(error.location == .jsonPath(path) && error.file == "model.json")
            }
        }
    }
}
