import Foundation
import FusionGeometry
import Testing

@Suite struct RotationTests {
    static let angleCases: [SIMD3<Double>] = [
        SIMD3(0, 0, 0), SIMD3(0.03, -0.02, 1.2), SIMD3(-0.4, 0.7, -2.9), SIMD3(1.1, -1.3, 0.2), SIMD3(0, 0, .pi)
    ]

    @Test func yawTurnsXTowardY() {
        let quarterTurn = UnitQuaternion(yaw: .pi / 2)
        let turned = quarterTurn.act(on: SIMD3(1, 0, 0))
        #expect(abs(turned.x) < 1e-12 && abs(turned.y - 1) < 1e-12 && abs(turned.z) < 1e-12)
        #expect(abs(quarterTurn.yaw - .pi / 2) < 1e-12)
    }

    @Test(arguments: angleCases)
    func eulerXYZMatchesTheProductOfAxisMatrices(angles: SIMD3<Double>) {
        // R = Rx · Ry · Rz, written out by hand.
        let (cx, sx, cy, sy, cz, sz) = (
            cos(angles.x), sin(angles.x), cos(angles.y), sin(angles.y), cos(angles.z), sin(angles.z)
        )
        let rx = Matrix3x3(rows: SIMD3(1, 0, 0), SIMD3(0, cx, -sx), SIMD3(0, sx, cx))
        let ry = Matrix3x3(rows: SIMD3(cy, 0, sy), SIMD3(0, 1, 0), SIMD3(-sy, 0, cy))
        let rz = Matrix3x3(rows: SIMD3(cz, -sz, 0), SIMD3(sz, cz, 0), SIMD3(0, 0, 1))
        let expected = rx * ry * rz
        let actual = UnitQuaternion(eulerXYZ: angles).rotationMatrix
        #expect(maxDifference(actual.rowMajor, expected.rowMajor) < 1e-12)
        #expect(
            simdMaxDifference(UnitQuaternion(eulerXYZ: angles).eulerXYZ, angles) < 1e-9 || angles == SIMD3(0, 0, .pi))
    }

    @Test(arguments: angleCases)
    func matrixRoundTrip(angles: SIMD3<Double>) {
        let rotation = UnitQuaternion(eulerXYZ: angles)
        let roundTrip = UnitQuaternion(rotationMatrix: rotation.rotationMatrix)
        #expect(rotation.angle(to: roundTrip) < 1e-7)
        #expect(rotation.rotationMatrix.isRotation(tolerance: 1e-12))
    }

    @Test(arguments: angleCases)
    func compositionIsTheMatrixProduct(angles: SIMD3<Double>) {
        let a = UnitQuaternion(eulerXYZ: angles)
        let b = UnitQuaternion(axis: SIMD3(1, 2, 3), angle: 0.8)
        let product = (a * b).rotationMatrix
        let expected = a.rotationMatrix * b.rotationMatrix
        #expect(maxDifference(product.rowMajor, expected.rowMajor) < 1e-12)
    }

    @Test func reflectionIsNotARotation() {
        let mirror = Matrix3x3(rows: SIMD3(1, 0, 0), SIMD3(0, 1, 0), SIMD3(0, 0, -1))
        #expect(mirror.orthonormalityError < 1e-15)
        #expect(!mirror.isRotation())
    }

    @Test func transformChainsReadRightToLeft() {
        let worldFromEgo = RigidTransform(rotation: UnitQuaternion(yaw: 0.5), translation: SIMD3(10, -3, 0.2))
        let egoFromLidar = RigidTransform(
            rotation: UnitQuaternion(eulerXYZ: SIMD3(0.01, -0.02, 0.03)), translation: SIMD3(1.2, 0, 1.8))
        let point = SIMD3<Double>(4, 5, -1)
        let chained = (worldFromEgo * egoFromLidar).apply(to: point)
        let stepwise = worldFromEgo.apply(to: egoFromLidar.apply(to: point))
        #expect(simdMaxDifference(chained, stepwise) < 1e-12)
        let identity = worldFromEgo * worldFromEgo.inverse
        #expect(simdMaxDifference(identity.apply(to: point), point) < 1e-12)
        let viaMatrix = RigidTransform(matrix: worldFromEgo.matrix)
        #expect(simdMaxDifference(viaMatrix.apply(to: point), worldFromEgo.apply(to: point)) < 1e-12)
    }
}

func maxDifference(_ a: [Double], _ b: [Double]) -> Double {
    zip(a, b).map { abs($0 - $1) }.max() ?? 0
}

func simdMaxDifference(_ a: SIMD3<Double>, _ b: SIMD3<Double>) -> Double {
    let d = a - b
    return max(abs(d.x), abs(d.y), abs(d.z))
}
