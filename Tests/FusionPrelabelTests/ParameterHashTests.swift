import Foundation
import Testing

@testable import FusionPrelabel

/// The parameter hash is the SHA-256 of the pre-labeller's encoding, so it sees every parameter:
/// each one changed on its own changes it, and the table of changes below must name every
/// parameter the encoding holds (a parameter added later fails this test until it is listed).
struct ParameterHashTests {
    typealias Change = (name: String, apply: @Sendable (inout Prelabeler) -> Void)

    static let changes: [Change] = [
        ("groundSegmentation.sectors", { $0.groundSegmentation.sectors += 1 }),
        ("groundSegmentation.maximumRange", { $0.groundSegmentation.maximumRange += 1 }),
        ("groundSegmentation.binLengths", { $0.groundSegmentation.binLengths = 0.5...5 }),
        ("groundSegmentation.binLengthFraction", { $0.groundSegmentation.binLengthFraction += 0.01 }),
        ("groundSegmentation.maximumSlope", { $0.groundSegmentation.maximumSlope += 0.01 }),
        ("groundSegmentation.maximumRun", { $0.groundSegmentation.maximumRun += 1 }),
        ("groundSegmentation.stepTolerance", { $0.groundSegmentation.stepTolerance += 0.01 }),
        ("groundSegmentation.groundThreshold", { $0.groundSegmentation.groundThreshold += 0.01 }),
        ("groundSegmentation.neighbourSectors", { $0.groundSegmentation.neighbourSectors += 1 }),
        ("groundSegmentation.planeIterations", { $0.groundSegmentation.planeIterations += 1 }),
        ("groundSegmentation.planeConfidence", { $0.groundSegmentation.planeConfidence = 0.999 }),
        ("groundSegmentation.planeThreshold", { $0.groundSegmentation.planeThreshold += 0.01 }),
        ("groundSegmentation.maximumTilt", { $0.groundSegmentation.maximumTilt += 0.01 }),
        ("groundSegmentation.seed", { $0.groundSegmentation.seed += 1 }),
        ("clustering.tolerance", { $0.clustering.tolerance += 0.01 }),
        ("clustering.sizes", { $0.clustering.sizes = 6...50_000 }),
        ("fitter.estimator", { $0.fitter.estimator = MinimumAreaRectangle() }),
        ("fitter.sideDistance", { $0.fitter.sideDistance += 0.01 }),
        ("fitter.pedestrianDeviations", { $0.fitter.pedestrianDeviations += 0.1 }),
        ("pedestrianSplitting.cell", { $0.pedestrianSplitting?.cell += 0.01 }),
        ("pedestrianSplitting.minimumHeadHeight", { $0.pedestrianSplitting?.minimumHeadHeight += 0.1 }),
        ("pedestrianSplitting.minimumDip", { $0.pedestrianSplitting?.minimumDip += 0.01 }),
        ("pedestrianSplitting.maximumRange", { $0.pedestrianSplitting?.maximumRange += 1 }),
        ("pedestrianSplitting.minimumSeparation", { $0.pedestrianSplitting?.minimumSeparation += 0.01 }),
        ("pedestrianSplitting.maximumWidth", { $0.pedestrianSplitting?.maximumWidth += 0.1 }),
        ("pedestrianSplitting.heights", { $0.pedestrianSplitting?.heights = 1.0...2.4 }),
        ("pedestrianSplitting.minimumPartSize", { $0.pedestrianSplitting?.minimumPartSize += 1 }),
        ("priors", { $0.priors.otherShare += 0.01 }),
        ("scorer", { $0.scorer?.baseScores[0] += 0.1 }),
        ("minimumObjectProbability", { $0.minimumObjectProbability += 0.01 }),
        ("maximumLength", { $0.maximumLength += 1 }),
        ("maximumHeight", { $0.maximumHeight += 0.1 }),
        ("minimumHeight", { $0.minimumHeight += 0.1 }),
        ("maximumClearance", { $0.maximumClearance += 0.1 }),
        ("hiddenClearance", { $0.hiddenClearance += 0.1 }),
        ("hiddenRange", { $0.hiddenRange += 1 }),
        ("hiddenMinimumLength", { $0.hiddenMinimumLength += 0.01 }),
        ("hiddenMinimumWidth", { $0.hiddenMinimumWidth += 0.01 }),
        ("hiddenBelowDepth", { $0.hiddenBelowDepth += 0.01 }),
        ("hiddenBelowMargin", { $0.hiddenBelowMargin += 0.1 }),
        ("hiddenBelowRays", { $0.hiddenBelowRays += 1 }),
        ("hiddenBelowSeenShare", { $0.hiddenBelowSeenShare += 0.01 }),
        ("maximumRange", { $0.maximumRange += 1 }),
        ("minimumConfidentPoints", { $0.minimumConfidentPoints += 1 }),
        ("minimumClassProbability", { $0.minimumClassProbability += 0.01 }),
        ("seenThroughRays", { $0.seenThroughRays += 1 }),
        ("seenThroughShare", { $0.seenThroughShare += 0.01 }),
        ("seenThroughBand", { $0.seenThroughBand = 0.3...0.8 })
    ]

    /// The encoding's leaves as dotted paths; the prior model and the scorer are models, not
    /// knobs, and count as one leaf each.
    static func leaves(of prelabeler: Prelabeler) throws -> Set<String> {
        let object = try JSONSerialization.jsonObject(with: JSONEncoder().encode(prelabeler))
        func walk(_ value: Any, _ path: String) -> [String] {
            guard let dictionary = value as? [String: Any], path != "priors", path != "scorer" else { return [path] }
            return dictionary.flatMap { key, child in walk(child, path.isEmpty ? key : path + "." + key) }
        }
        return Set(walk(object, ""))
    }

    @Test func theTableNamesEveryEncodedParameter() throws {
        #expect(try Self.leaves(of: Prelabeler()) == Set(Self.changes.map(\.name)))
    }

    @Test(arguments: changes.map(\.name))
    func changingOneParameterChangesTheHash(_ name: String) throws {
        let original = Prelabeler()
        var changed = original
        try #require(Self.changes.first { $0.name == name }).apply(&changed)
        #expect(changed.parameterHash != original.parameterHash, "\(name)")
    }

    @Test func theHashIsTheSameForTheSameParameters() {
        let hash = Prelabeler().parameterHash
        #expect(hash.count == 64 && hash.allSatisfy(\.isHexDigit))
        #expect(Prelabeler().parameterHash == hash)
        var withoutPeople = Prelabeler()
        withoutPeople.pedestrianSplitting = nil
        #expect(withoutPeople.parameterHash != hash && Prelabeler.withoutScorer.parameterHash != hash)
    }
}
