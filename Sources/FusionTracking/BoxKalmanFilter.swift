import Foundation
import FusionGeometry

/// A Kalman filter over an upright box moving at constant velocity, as in AB3DMOT.
///
/// State (10): centre x y z, yaw, length width height, velocity vx vy vz (metres per step,
/// radians, in whatever frame the boxes come in). Measurement (7): centre, yaw, sizes. One
/// `predict()` advances one step (a frame). Noise as AB3DMOT: initial covariance 10 on the
/// measured part and 10⁴ on the velocities, process noise 1 (0.01 on velocities), measurement
/// noise 1.
public struct BoxKalmanFilter: Sendable {
    static let stateSize = 10, measurementSize = 7

    /// The state vector.
    public private(set) var state: [Double]
    /// Row-major 10 × 10.
    public private(set) var covariance: [Double]

    /// A filter started at `box` with unknown velocity.
    public init(box: Cuboid) {
        state = Self.measurement(of: box) + [0, 0, 0]
        covariance = [Double](repeating: 0, count: Self.stateSize * Self.stateSize)
        for index in 0..<Self.stateSize { covariance[index * Self.stateSize + index] = index < 7 ? 10 : 10_000 }
    }

    /// The box the state describes.
    public var box: Cuboid {
        Cuboid(center: SIMD3(state[0], state[1], state[2]),
               size: Size3(length: max(state[4], 1e-3), width: max(state[5], 1e-3), height: max(state[6], 1e-3)), yaw: state[3])
    }

    /// Velocity per step.
    public var velocity: SIMD3<Double> { SIMD3(state[7], state[8], state[9]) }

    static func measurement(of box: Cuboid) -> [Double] {
        [box.center.x, box.center.y, box.center.z, box.yaw, box.size.length, box.size.width, box.size.height]
    }

    /// Advances the state by `steps` steps: `x ← F x`, `P ← F P Fᵀ + Q` per step.
    public mutating func predict(steps: Int = 1) {
        let n = Self.stateSize
        for _ in 0..<max(0, steps) {
            for axis in 0..<3 { state[axis] += state[7 + axis] }
            // F P Fᵀ with F = I plus ones at (axis, 7 + axis): add the velocity rows, then columns.
            for axis in 0..<3 {
                for column in 0..<n { covariance[axis * n + column] += covariance[(7 + axis) * n + column] }
            }
            for axis in 0..<3 {
                for row in 0..<n { covariance[row * n + axis] += covariance[row * n + 7 + axis] }
            }
            for index in 0..<n { covariance[index * n + index] += index < 7 ? 1 : 0.01 }
        }
    }

    /// Corrects the state with a measured box. The measured yaw is first turned by π when it
    /// points against the state's (a box seen from behind looks the same), then brought within
    /// ±π of it, so the filter never averages across a flip.
    public mutating func update(with box: Cuboid) {
        let n = Self.stateSize, m = Self.measurementSize
        var measured = Self.measurement(of: box)
        measured[3] = Self.alignedYaw(measured[3], to: state[3])
        // Innovation y = z − H x, with H selecting the first seven states.
        let innovation = (0..<m).map { measured[$0] - state[$0] }
        // S = H P Hᵀ + R: the top-left 7 × 7 block plus the identity.
        var s = [Double](repeating: 0, count: m * m)
        for row in 0..<m {
            for column in 0..<m { s[row * m + column] = covariance[row * n + column] + (row == column ? 1 : 0) }
        }
        guard let factor = Cholesky(s, size: m) else { return }
        // K = P Hᵀ S⁻¹: each row of K solves S kᵀ = (row of P's first seven columns)ᵀ (S is symmetric).
        var gain = [Double](repeating: 0, count: n * m)
        for row in 0..<n {
            let solved = factor.solve((0..<m).map { covariance[row * n + $0] })
            for column in 0..<m { gain[row * m + column] = solved[column] }
        }
        for row in 0..<n {
            for column in 0..<m { state[row] += gain[row * m + column] * innovation[column] }
        }
        state[3] = Self.wrapped(state[3])
        // P ← P − K H P, where H P is P's first seven rows.
        var updated = covariance
        for row in 0..<n {
            for column in 0..<n {
                var sum = 0.0
                for inner in 0..<m { sum += gain[row * m + inner] * covariance[inner * n + column] }
                updated[row * n + column] -= sum
            }
        }
        covariance = updated
    }

    /// `angle` turned by a multiple of π to lie within π/2 of `reference`.
    static func alignedYaw(_ angle: Double, to reference: Double) -> Double {
        var difference = wrapped(angle - reference)
        if difference > .pi / 2 { difference -= .pi }
        if difference < -.pi / 2 { difference += .pi }
        return reference + difference
    }

    /// `angle` in (−π, π].
    static func wrapped(_ angle: Double) -> Double {
        var result = angle.truncatingRemainder(dividingBy: 2 * .pi)
        if result > .pi { result -= 2 * .pi }
        if result <= -.pi { result += 2 * .pi }
        return result
    }
}

/// The Cholesky factor L (row-major, lower) of a symmetric positive definite matrix, for solving.
struct Cholesky {
    let lower: [Double]
    let size: Int

    /// Nil when the matrix is not positive definite.
    init?(_ matrix: [Double], size n: Int) {
        var lower = [Double](repeating: 0, count: n * n)
        for row in 0..<n {
            for column in 0...row {
                var sum = matrix[row * n + column]
                for inner in 0..<column { sum -= lower[row * n + inner] * lower[column * n + inner] }
                if row == column {
                    guard sum > 0 else { return nil }
                    lower[row * n + row] = sum.squareRoot()
                } else {
                    lower[row * n + column] = sum / lower[column * n + column]
                }
            }
        }
        self.lower = lower
        size = n
    }

    /// x with `L Lᵀ x = b`.
    func solve(_ b: [Double]) -> [Double] {
        let n = size
        var y = b
        for row in 0..<n {
            for inner in 0..<row { y[row] -= lower[row * n + inner] * y[inner] }
            y[row] /= lower[row * n + row]
        }
        for row in stride(from: n - 1, through: 0, by: -1) {
            for inner in (row + 1)..<n { y[row] -= lower[inner * n + row] * y[inner] }
            y[row] /= lower[row * n + row]
        }
        return y
    }
}
