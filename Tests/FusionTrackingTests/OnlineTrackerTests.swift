import Foundation
import FusionGeometry
import FusionTestSupport
import Testing

@testable import FusionTracking

@Suite struct OnlineTrackerTests {
    static func car(_ x: Double, _ y: Double, yaw: Double = 0) -> Detection {
        Detection(
            box: Cuboid(center: SIMD3(x, y, 0.8), size: Size3(length: 4, width: 1.8, height: 1.5), yaw: yaw),
            score: 0.9, objectClass: "Car")
    }

    /// Two cars passing in opposite lanes, one of them unseen for two frames: both keep their ids.
    @Test func identitiesSurviveAShortOcclusion() throws {
        var tracker = OnlineTracker()
        var idsByCar: [Int: Set<Int>] = [0: [], 1: []]
        for frame in 0..<30 {
            var detections = [Self.car(5 + 1.0 * Double(frame), -1.8)]
            if !(12...13).contains(frame) { detections.append(Self.car(40 - 1.2 * Double(frame), 1.8, yaw: .pi)) }
            for tracked in tracker.update(frame: frame, detections: detections) {
                idsByCar[tracked.box.center.y < 0 ? 0 : 1]!.insert(tracked.trackID)
            }
        }
        #expect(idsByCar[0] == [1] && idsByCar[1] == [2])
    }

    /// A track is reported once confirmed and dropped after more than `maximumMisses` frames unseen.
    @Test func tracksAreConfirmedAndDeleted() {
        var configuration = OnlineTracker.Configuration()
        configuration.hitsToConfirm = 3
        configuration.maximumMisses = 2
        var tracker = OnlineTracker(configuration: configuration)
        var reported: [Int] = []
        for frame in 0..<12 {
            let detections = frame < 6 || frame >= 9 ? [Self.car(10, 0)] : []
            reported.append(tracker.update(frame: frame, detections: detections).first?.trackID ?? 0)
        }
        // Frames 0–2 are reported while the sequence starts; 6–8 unseen; after three misses a new track starts.
        #expect(reported == [1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 2])
    }

    /// Per-class affinities: Mahalanobis for cars keeps both identities through the occlusion too,
    /// and the distance is zero for the predicted box itself and grows with the offset.
    @Test func mahalanobisAssociationWorksAndMeasuresUncertainty() throws {
        var configuration = OnlineTracker.Configuration()
        configuration.affinities["Car"] = .mahalanobis(maximum: 3)
        var tracker = OnlineTracker(configuration: configuration)
        var ids: Set<Int> = []
        for frame in 0..<20 {
            for tracked in tracker.update(
                frame: frame,
                detections: [Self.car(5 + Double(frame), -1.8), Self.car(40 - Double(frame), 1.8, yaw: .pi)])
            {
                ids.insert(tracked.trackID)
            }
        }
        #expect(ids == [1, 2])
        var filter = BoxKalmanFilter(box: Self.car(10, 0).box)
        filter.predict()
        #expect(filter.mahalanobisDistance(to: filter.box) < 1e-12)
        let near = filter.mahalanobisDistance(to: Self.car(10.5, 0).box)
        let far = filter.mahalanobisDistance(to: Self.car(12, 0).box)
        #expect(near > 0 && abs(far / near - 4) < 1e-9)
    }

    @Test func classesAreTrackedApart() {
        var tracker = OnlineTracker()
        let pedestrian = Detection(
            box: Cuboid(center: SIMD3(10, 0, 0.9), size: Size3(length: 0.8, width: 0.7, height: 1.7), yaw: 0),
            score: 0.8, objectClass: "Pedestrian")
        for frame in 0..<4 { _ = tracker.update(frame: frame, detections: [Self.car(10, 0), pedestrian]) }
        let last = tracker.update(frame: 4, detections: [Self.car(10, 0), pedestrian])
        #expect(Set(last.map(\.trackID)) == [1, 2] && Set(last.map(\.objectClass)) == ["Car", "Pedestrian"])
    }
}

/// The tracker and the CLEAR MOT counts on the real KITTI tracking val labels.
@Suite(SharedScenes.required)
struct KITTITrackingReplayTests {
    static let folder = SharedScenes.root + "/kitti-tracking-val"

    @Test func groundTruthAgainstItselfIsPerfectAndNothingScoresZero() throws {
        let sequence = try TrackingSequence.kitti(folder: Self.folder, sequence: "0001")
        let perfect = sequence.frames.map { objects in
            objects.filter { !$0.isDontCare }.map {
                TrackedBox(trackID: $0.trackID, objectClass: $0.objectClass, box: $0.box, score: 1, meanScore: 1)
            }
        }
        var counts = ClearMOT()
        counts.add(sequence: sequence, results: perfect, objectClass: "Car", iouThreshold: 0.25)
        #expect(counts.groundTruthBoxes > 1_000)
        #expect(
            counts.mota == 1 && abs(counts.motp - 1) < 1e-9 && counts.identitySwitches == 0
                && counts.fragmentations == 0)
        var empty = ClearMOT()
        empty.add(sequence: sequence, results: [], objectClass: "Car", iouThreshold: 0.25)
        #expect(empty.mota == 0 && empty.falseNegatives == counts.groundTruthBoxes)
    }

    /// Detections made from the labels by the documented noise model: the tracker keeps far
    /// fewer identity switches than re-numbering every frame, and a high MOTA.
    @Test(arguments: ["0001", "0006", "0008"])
    func theOnlineTrackerFollowsNoisyDetections(sequenceName: String) throws {
        let sequence = try TrackingSequence.kitti(folder: Self.folder, sequence: sequenceName)
        let detections = DetectionNoiseModel(seed: 21).detections(for: sequence, classes: ["Car"])
        var tracker = OnlineTracker()
        let results = detections.enumerated().map { tracker.update(frame: $0.offset, detections: $0.element) }
        var counts = ClearMOT()
        counts.add(sequence: sequence, results: results, objectClass: "Car", iouThreshold: 0.25)
        var nextID = 0
        let untracked = detections.map { frame in
            frame.map { detection -> TrackedBox in
                nextID += 1
                return TrackedBox(
                    trackID: nextID, objectClass: detection.objectClass, box: detection.box, score: detection.score,
                    meanScore: detection.score)
            }
        }
        var baseline = ClearMOT()
        baseline.add(sequence: sequence, results: untracked, objectClass: "Car", iouThreshold: 0.25)
        // Measured: MOTA 0.83 / 0.84 / 0.85 with 7 / 2 / 2 switches, against 2,324 / 477 / 917 untracked.
        #expect(counts.mota > 0.75, "MOTA \(counts.mota)")
        #expect(
            counts.identitySwitches * 50 < baseline.identitySwitches,
            "\(counts.identitySwitches) switches, \(baseline.identitySwitches) untracked")
        #expect(
            counts.falsePositives * 20 < baseline.falsePositives,
            "confirmation keeps the noise model's false positives out")
    }
}
