import Foundation
import FusionGeometry
import Testing

@testable import FusionTracking

@Suite struct KeyframeInterpolationTests {
    /// A parked car seen from a turning vehicle: with the ego poses every frame between two
    /// keyframes is exact; interpolating in the sensor frame is off by metres.
    @Test func egoMotionIsTakenOutBeforeInterpolating() throws {
        let parked = Cuboid(center: SIMD3(20, 6, 0.8), size: Size3(length: 4.4, width: 1.8, height: 1.5), yaw: 0.3)
        func worldFromSensor(_ frame: Int) -> RigidTransform {
            // A quarter turn over 20 frames on a 15 m radius.
            let heading = Double(frame) * (.pi / 2) / 20
            return RigidTransform(
                rotation: UnitQuaternion(yaw: heading),
                translation: SIMD3(15 * sin(heading), 15 * (1 - cos(heading)), 0))
        }
        let seen = { (frame: Int) in parked.transformed(by: worldFromSensor(frame).inverse) }
        let keyframes = [KeyframeInterpolation.Keyframe(frame: 0, box: seen(0)), .init(frame: 20, box: seen(20))]
        let compensated = try KeyframeInterpolation.interpolate(keyframes, worldFromSensor: worldFromSensor)
        let naive = try KeyframeInterpolation.interpolate(keyframes)
        #expect(compensated.count == 21)
        var worstNaive = 0.0
        for frame in 0...20 {
            #expect((compensated[frame]!.center - seen(frame).center).length < 1e-9)
            #expect(compensated[frame]!.rotation.angle(to: seen(frame).rotation) < 1e-9)
            worstNaive = max(worstNaive, (naive[frame]!.center - seen(frame).center).length)
        }
        #expect(worstNaive > 2)
    }

    /// Yaw goes the short way round through ±π, and sizes change linearly.
    @Test func yawTakesTheShorterArc() throws {
        let start = Cuboid(center: .zero, size: Size3(length: 4, width: 2, height: 1.5), yaw: 3.0)
        let end = Cuboid(center: SIMD3(10, 0, 0), size: Size3(length: 5, width: 2, height: 1.5), yaw: -3.0)
        let boxes = try KeyframeInterpolation.interpolate([.init(frame: 0, box: start), .init(frame: 2, box: end)])
        let middle = try #require(boxes[1])
        #expect(
            abs(abs(middle.yaw) - .pi) < 1e-9 && abs(middle.size.length - 4.5) < 1e-12
                && abs(middle.center.x - 5) < 1e-12)
    }
}
