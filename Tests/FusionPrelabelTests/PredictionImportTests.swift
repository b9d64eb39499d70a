import Foundation
import FusionGeometry
import FusionIO
import FusionTestSupport
import Testing

@testable import FusionPrelabel

/// A detector's predictions made from the SUSTech labels (each moved 0.3 m, turned 5°, 10 % too
/// big, scored 0.9), two false ones in empty air and one with a low score, merged with the
/// engine's own proposals.
@Suite(SharedScenes.required)
struct PredictionImportTests {
    @Test func predictionsAreRefittedMergedAndFlagged() throws {
        for frame in ["000965", "000975"] {
            let (cloud, labels) = try PrelabelAccuracyTests.sustechFrame(frame)
            let (own, ground) = Prelabeler().prelabel(cloud)
            let supported = labels.filter { $0.points >= 20 && $0.kind != .other }
            var predictions = supported.map { label in
                ModelPrediction(
                    box: Cuboid(
                        center: label.box.center + SIMD3(0.3, 0, 0),
                        size: Size3(
                            length: label.box.size.length * 1.1, width: label.box.size.width * 1.1,
                            height: label.box.size.height * 1.1),
                        yaw: label.box.yaw + 5 * .pi / 180),
                    kind: label.kind, score: 0.9)
            }
            let air = Size3(length: 4, width: 1.8, height: 1.5)
            predictions += [
                ModelPrediction(box: Cuboid(center: SIMD3(3, 3, 25), size: air, yaw: 0), kind: .car, score: 0.8),
                ModelPrediction(box: Cuboid(center: SIMD3(-3, 3, 30), size: air, yaw: 0), kind: .car, score: 0.05)
            ]
            let merged = PredictionImport(modelName: "pointpillars-test").merge(
                predictions, with: own, in: cloud, ground: ground)

            #expect(merged.count < own.count + predictions.count)
            var refittedCloser = 0
            var fromModel = 0
            for (label, prediction) in zip(supported, predictions) {
                let onLabel = merged.filter {
                    $0.cuboid.footprintMayMeet(label.box) && $0.cuboid.iou3D(with: label.box) >= 0.3
                }
                #expect(onLabel.count <= 1, "\(frame) \(label.kind) at \(label.box.center): \(onLabel.map(\.origin))")
                guard let kept = onLabel.first else { continue }
                if kept.cuboid.bevIoU(with: label.box) > prediction.box.bevIoU(with: label.box) { refittedCloser += 1 }
                if case .model("pointpillars-test", 0.9) = kept.origin {
                    fromModel += 1
                    #expect(kept.kind == label.kind)
                }
            }
            #expect(
                Double(refittedCloser) >= 0.7 * Double(supported.count),
                "\(frame): \(refittedCloser) of \(supported.count) closer than the prediction")
            #expect(fromModel > supported.count / 2, "\(frame): \(fromModel) of \(supported.count) kept from the model")
            let inAir = merged.filter { $0.cuboid.center.z > 20 }
            #expect(inAir.count == 2 && inAir.allSatisfy { $0.flags.contains(.poorlySupported) })
            #expect(inAir.filter { $0.flags.contains(.lowModelScore) }.count == 1)
        }
    }

    @Test func kittiAndOpenLABELPredictionsRead() throws {
        let calibration = try KITTICalibration.read(contentsOf: try SharedScenes.path("kitti-object/calib/000001.txt"))
        let objects = try KITTIObject.read(contentsOf: try SharedScenes.path("kitti-object/label_2/000001.txt"))
        let predictions = ModelPrediction.kitti(objects, calibration: calibration)
        #expect(
            predictions.count == objects.filter { !$0.isDontCare }.count && predictions.allSatisfy { $0.score == 1 })
        #expect(predictions.first?.kind == .vanTruck)
        var document = OpenLABELDocument(objects: ["7": .init(name: "a", type: "Pedestrian")])
        document.frames[2] = .init(objects: [
            "7": [.init(cuboid: predictions[0].box, attributes: .init(numbers: ["score": 0.42]))]
        ])
        #expect(
            ModelPrediction.openLABEL(document, frame: 2) == [
                ModelPrediction(box: predictions[0].box, kind: .pedestrian, score: 0.42)
            ])
        #expect(ModelPrediction.openLABEL(document, frame: 3).isEmpty)
    }
}
