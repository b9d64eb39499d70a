import FusionGeometry
import Testing

@testable import FusionTracking

/// Identical timestamps, empty sequences, zero-size and coincident boxes: defined results or clear
/// errors, never a crash or a NaN box.
@Suite struct DegenerateTrackingInputTests {
    static let car = Cuboid(center: SIMD3(10, 2, 0.8), size: Size3(length: 4.2, width: 1.8, height: 1.5), yaw: 0.2)
    static let point = Cuboid(center: SIMD3(10, 2, 0.8), size: Size3(length: 0, width: 0, height: 0), yaw: 0)

    @Test func twoKeyframesInOneFrameAreAConflictNotACrash() {
        #expect(throws: KeyframeInterpolation.ConflictingKeyframes(frame: 3)) {
            try KeyframeInterpolation.interpolate([
                .init(frame: 3, box: Self.car), .init(frame: 0, box: Self.car), .init(frame: 3, box: Self.car)
            ])
        }
    }

    @Test func keyframesOutOfOrderAreSorted() throws {
        let later = Cuboid(center: SIMD3(14, 2, 0.8), size: Self.car.size, yaw: 0.2)
        let boxes = try KeyframeInterpolation.interpolate([.init(frame: 4, box: later), .init(frame: 0, box: Self.car)])
        #expect(boxes.count == 5)
        #expect(abs(try #require(boxes[2]).center.x - 12) < 1e-9)
    }

    @Test func zeroSizeBoxesOverlapNothing() {
        for (a, b) in [(Self.point, Self.point), (Self.point, Self.car), (Self.car, Self.point)] {
            #expect(a.bevIoU(with: b) == 0)
            #expect(a.footprintIntersectionArea(with: b) == 0)
            #expect(a.iou3D(with: b) == 0)
            #expect(a.giou3D(with: b).isFinite)
        }
    }

    @Test func emptyAndCoincidentSequencesTrackWithoutNaN() {
        #expect(OfflineTracker().track([]).isEmpty)
        #expect(OfflineTracker().track([[], [], []]).allSatisfy { $0.isEmpty })
        // The same detection twice in every frame, and a zero-size one: one track for the pair's
        // object, and no NaN anywhere.
        let frames = (0..<6).map { frame -> [Detection] in
            let moved = Cuboid(
                center: Self.car.center + SIMD3(Double(frame) * 0.5, 0, 0), size: Self.car.size, yaw: 0.2)
            return [
                Detection(box: moved, score: 0.9, objectClass: "Car"),
                Detection(box: moved, score: 0.9, objectClass: "Car"),
                Detection(box: Self.point, score: 0.5, objectClass: "Car")
            ]
        }
        let tracked = OfflineTracker().track(frames)
        #expect(tracked.count == frames.count)
        for box in tracked.joined() {
            #expect(box.box.center.x.isFinite && box.box.size.length.isFinite && box.box.yaw.isFinite, "\(box)")
        }
    }
}
