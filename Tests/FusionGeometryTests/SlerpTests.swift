import Foundation
import Testing

@testable import FusionGeometry

@Suite struct SlerpTests {
    /// About one axis, slerp is linear in the angle: at every step size from a microradian to half a
    /// turn, the interpolated yaw is the linearly interpolated yaw.
    @Test(arguments: [1e-6, 1e-3, 0.01, 0.1, 1, 3]) func movesAtConstantAngularSpeed(step: Double) {
        let start = UnitQuaternion(yaw: 0.3)
        let end = UnitQuaternion(yaw: 0.3 + step)
        for fraction in stride(from: 0.0, through: 1, by: 0.125) {
            let yaw = start.slerp(to: end, fraction: fraction).yaw
            #expect(
                abs(remainder(yaw - (0.3 + fraction * step), 2 * .pi)) < 1e-14, "step \(step), fraction \(fraction)")
        }
    }

    @Test func takesTheShortWayAndHandlesEqualRotations() {
        let q = UnitQuaternion(axis: SIMD3(0.2, -0.5, 0.8), angle: 1.1)
        let same = q.slerp(to: UnitQuaternion(w: -q.w, x: -q.x, y: -q.y, z: -q.z), fraction: 0.4)
        #expect(same.angle(to: q) < 1e-12)
        // From yaw 170° to yaw -170°: 20° the short way, through 180°.
        let across = UnitQuaternion(yaw: 170 * .pi / 180).slerp(
            to: UnitQuaternion(yaw: -170 * .pi / 180), fraction: 0.5)
        #expect(abs(abs(across.yaw) - .pi) < 1e-12)
    }
}
