import Foundation
import FusionGeometry
import FusionIO
import FusionLabel
import FusionQA
import FusionSim
import FusionTestSupport
import Testing

/// Sim-to-real validation with the real recordings of `../shared/scenes` on the real side.
@Suite(SharedScenes.required)
struct SyntheticValidationTests {
    /// KITTI tracking (labels only), KITTI object and SUSTech POINTS (labels with sweeps).
    static let real: [BoxSample] = {
        ["kitti-tracking-val", "kitti-object", "sustechpoints-example"].flatMap { folder in
            (try? LabeledDataset.boxSamples(in: SharedScenes.root + "/" + folder)) ?? []
        }
    }()

    @Test func theRealLoadersCountTheReferencePoints() throws {
        let kitti = try LabeledDataset.boxSamples(in: try SharedScenes.path("kitti-object"))
        // SOURCE.md's numpy counts, in label order per frame (DontCare left out).
        // The references cover frames 000000–000002, the first six boxes.
        #expect(
            kitti.prefix(KITTIObjectReferences.all.count).map(\.points) == KITTIObjectReferences.all.map(\.pointsInBox))
        #expect(kitti.prefix(6).map(\.objectClass) == [.pedestrian, .truck, .car, .cyclist, .other, .car])
        let tracking = try LabeledDataset.boxSamples(in: try SharedScenes.path("kitti-tracking-val"))
        let rows = try FileManager.default.contentsOfDirectory(
            atPath: try SharedScenes.path("kitti-tracking-val/label_02")
        )
        .flatMap { try KITTITrackedObject.read(contentsOf: try SharedScenes.path("kitti-tracking-val/label_02/" + $0)) }
        #expect(tracking.count == rows.filter { !$0.object.isDontCare }.count)
        #expect(tracking.allSatisfy { $0.points == nil && $0.values[.length] != nil })
        let sustech = try LabeledDataset.boxSamples(in: try SharedScenes.path("sustechpoints-example"))
        #expect(sustech.allSatisfy { ($0.values[.meanIntensity] ?? 0) <= 1 })
        #expect(Set(sustech.compactMap(\.object)).count < sustech.count, "SUSTech ids persist across frames")
    }

    /// Draws a synthetic set from the real statistics: per class and feature, values resampled
    /// from the real ones within their 1–99% range (sizes from one box per object, each given up to
    /// 2% of normal jitter, kept within that range, so no drawn box copies a real one), with a fixed seed.
    static func drawnToMatch(_ real: [BoxSample], count: Int, seed: UInt64) -> [BoxSample] {
        var random = SeededRandomNumberGenerator(seed: seed)
        var drawn: [BoxSample] = []
        for (objectClass, boxes) in Dictionary(grouping: real, by: \.objectClass).sorted(by: { $0.key < $1.key }) {
            var firstOfObject: [String: BoxSample] = [:]
            for box in boxes {
                firstOfObject[box.object ?? box.source] = firstOfObject[box.object ?? box.source] ?? box
            }
            var values: [BoxFeature: [Double]] = [:]
            for feature in BoxFeature.allCases {
                let source = feature.isPerObject ? Array(firstOfObject.values) : boxes
                let sorted = source.compactMap { $0.values[feature] }.sorted()
                guard sorted.count >= 20 else { continue }
                values[feature] = Array(sorted[(sorted.count / 100)...(sorted.count * 99 / 100)])
            }
            for index in 0..<count {
                var sample = BoxSample(
                    source: "drawn \(objectClass) \(index)", objectClass: objectClass, range: 20, values: [:])
                for (feature, pool) in values.sorted(by: { $0.key < $1.key }) {
                    let value = pool[Int(random.next() % UInt64(pool.count))]
                    let jittered =
                        feature.isPerObject ? value * (1 + 0.01 * min(2, max(-2, random.nextGaussian()))) : value
                    sample.values[feature] = min(pool.last!, max(pool.first!, jittered))
                }
                drawn.append(sample)
            }
        }
        return drawn
    }

    @Test func aSetDrawnToMatchTheRealStatisticsIsNotFlagged() {
        let report = SimToRealValidation().compare(
            synthetic: Self.drawnToMatch(Self.real, count: 300, seed: 5), real: Self.real)
        #expect(!report.isFlagged, "\(report.text(boxLimit: 10))")
        #expect(report.classes.contains { $0.objectClass == .car && $0.features.count == BoxFeature.allCases.count })
    }

    @Test func sizesScaledByOneAndAHalfAreFlagged() {
        let scaled = Self.drawnToMatch(Self.real, count: 300, seed: 5).map { sample in
            var sample = sample
            for feature in [BoxFeature.length, .width, .height] {
                sample.values[feature] = sample.values[feature].map { $0 * 1.5 }
            }
            return sample
        }
        let report = SimToRealValidation().compare(synthetic: scaled, real: Self.real)
        for objectClass in [ComparedClass.car, .pedestrian, .cyclist] {
            let gaps =
                report.classes.first { $0.objectClass == objectClass }?.features.filter(\.isGap).map(\.feature) ?? []
            #expect(Set(gaps).isSuperset(of: [.length, .width, .height]), "\(objectClass): \(gaps)")
        }
        #expect(report.flaggedBoxes.count > scaled.count / 2)
    }

    @Test func pointsThinnedTenfoldAreFlagged() throws {
        let thinned = Self.drawnToMatch(Self.real, count: 300, seed: 5).map { sample in
            var sample = sample
            sample.values[.pointDensity] = sample.values[.pointDensity].map { $0 - log(10) }
            return sample
        }
        let report = SimToRealValidation().compare(synthetic: thinned, real: Self.real)
        let car = try #require(report.classes.first { $0.objectClass == .car })
        #expect(car.features.filter(\.isGap).map(\.feature) == [.pointDensity])
    }

    /// FusionSim's size priors come from these KITTI labels: the road users of three simulated
    /// streets (one box each) are no size gap against them, class by class.
    @Test func theSimulatorsSizePriorsMatchKITTI() throws {
        let synthetic = [UInt64(1), 2, 3].flatMap { seed in
            UrbanStreet(seed: seed, duration: 2).world().agents.map { agent in
                BoxSample(
                    source: "street \(seed) agent \(agent.trackID)",
                    objectClass: ComparedClass(labelName: agent.objectClass.labelName)!,
                    box: agent.box(at: 0, on: Terrain()))
            }
        }
        let report = SimToRealValidation().compare(synthetic: synthetic, real: Self.real)
        for objectClass in [ComparedClass.car, .pedestrian] {
            let comparison = try #require(report.classes.first { $0.objectClass == objectClass })
            let sizes = comparison.features.filter(\.feature.isPerObject)
            #expect(sizes.count == 3 && sizes.allSatisfy { !$0.isGap }, "\(objectClass): \(report.text())")
            #expect(comparison.syntheticCount > 40)
        }
    }

    /// The bundled scene is judged like any other: read from its folder, every class compared.
    @Test func theSampleSceneIsReadAndJudged() throws {
        let synthetic = try LabeledDataset.boxSamples(in: SharedScenes.repositoryRoot + "/SampleScenes/urban")
        let labels = try OpenLABELDocument.read(
            contentsOf: SharedScenes.repositoryRoot + "/SampleScenes/urban/labels/ground_truth.openlabel.json")
        #expect(synthetic.count == labels.frames.values.reduce(0) { $0 + $1.objects.count })
        #expect(synthetic.allSatisfy { $0.origin == .synthetic(generator: SceneSimulator.generator, seed: 7) })
        let report = SimToRealValidation().compare(synthetic: synthetic, real: Self.real)
        #expect(
            report.classes.map(\.objectClass).contains(.car)
                && report.classes.first?.features.count == BoxFeature.allCases.count)
    }

    @Test func theCommandPrintsTheReportAndExitsTwoOnGaps() throws {
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("fusionlabel").path
        let result = try ChildProcess.run(
            executable,
            [
                "validate-synthetic", "--synthetic", SharedScenes.repositoryRoot + "/SampleScenes/urban",
                "--real", try SharedScenes.path("kitti-object"),
                "--real", try SharedScenes.path("sustechpoints-example"), "--json"
            ])
        #expect(result.status == 2, "\(result.errors)")
        let report = try JSONDecoder().decode(SimToRealReport.self, from: Data(result.output.utf8))
        #expect(report.isFlagged && report.syntheticBoxes > 300)
    }

    /// A hybrid SUSTech scene (the real labels, plus synthetic copies 1.5 times their size with
    /// their origin recorded) splits back by origin: the synthetic side is flagged for its sizes.
    @Test func aHybridFolderIsSplitByRecordedOrigin() throws {
        let folder = try TemporaryFiles.folder("hybrid")
        defer { TemporaryFiles.remove(folder) }
        try FileManager.default.createDirectory(atPath: folder + "/label", withIntermediateDirectories: true)
        // The sweeps are read in place through a link, never copied.
        try FileManager.default.createSymbolicLink(
            atPath: folder + "/lidar", withDestinationPath: try SharedScenes.path("sustechpoints-example/lidar"))
        for frame in ["000965", "000970", "000975"] {
            let real = try SUSTechPOINTS.readLabels(
                contentsOf: try SharedScenes.path("sustechpoints-example/label/\(frame).json"))
            let synthetic = real.map { box in
                var copy = box
                copy.id = "synthetic-" + box.id
                copy.cuboid.size = Size3(
                    length: box.cuboid.size.length * 1.5, width: box.cuboid.size.width * 1.5,
                    height: box.cuboid.size.height * 1.5)
                copy.origin = .synthetic(generator: "test", seed: 1)
                return copy
            }
            try FileAccess.writeAtomically(
                try SUSTechPOINTS.labelsData(for: real + synthetic), to: "\(folder)/label/\(frame).json")
        }
        let samples = try LabeledDataset.boxSamples(in: folder)
        #expect(samples.filter { $0.origin?.isSynthetic == true }.count * 2 == samples.count)
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("fusionlabel").path
        let result = try ChildProcess.run(executable, ["validate-synthetic", "--hybrid", folder, "--json"])
        #expect(result.status == 2, "\(result.errors)")
        let report = try JSONDecoder().decode(SimToRealReport.self, from: Data(result.output.utf8))
        #expect(report.syntheticBoxes == report.realBoxes)
        let car = try #require(report.classes.first { $0.objectClass == .car })
        #expect(car.features.filter(\.isGap).map(\.feature).contains(.length))
    }

    /// Drift between a batch and a reference set uses the sim-to-real statistics.
    @Test func theQAReportMeasuresDriftAgainstAReference() throws {
        let report = try SceneQA.report(
            scene: SharedScenes.repositoryRoot + "/SampleScenes/urban",
            reference: try SharedScenes.path("sustechpoints-example"))
        let drift = try #require(report.drift)
        #expect(
            drift.realBoxes == (try LabeledDataset.boxSamples(in: try SharedScenes.path("sustechpoints-example"))).count
        )
        #expect(drift.syntheticBoxes == report.labels)
        #expect(report.markdown().contains("## Drift from the reference set"))
    }
}
