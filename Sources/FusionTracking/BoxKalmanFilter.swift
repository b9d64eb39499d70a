import Foundation
import FusionGeometry

/// A Kalman filter over an upright box moving at constant velocity, as in AB3DMOT.
///
/// State (10): centre x y z, yaw, length width height, velocity vx vy vz (metres per step,
/// radians, in whatever frame the boxes come in). Measurement (7): centre, yaw, sizes. One
/// `predict()` advances one step (a frame). Noise as AB3DMOT: initial covariance 10 on the
/// measured part and 10⁴ on the velocities, process noise 1 (0.01 on velocities), measurement
/// noise 1.
///
/// With these diagonal noises the covariance never couples one axis with another: it stays
/// block-diagonal, a 2 × 2 block (position, velocity) per axis and a variance each for yaw and the
/// sizes. The filter keeps exactly those blocks, so a step costs a few dozen operations and
/// allocates nothing, with the same results as the full 10 × 10 filter (`state`, `covariance`).
struct BoxKalmanFilter: Sendable, Equatable {
    static let stateSize = 10

    /// One axis: position and velocity with their 2 × 2 covariance.
    struct Axis: Sendable, Equatable {
        var position: Double
        var velocity = 0.0
        var positionVariance = 10.0
        var covariance = 0.0
        var velocityVariance = 10_000.0

        mutating func predict() {
            position += velocity
            positionVariance += 2 * covariance + velocityVariance + 1
            covariance += velocityVariance
            velocityVariance += 0.01
        }

        mutating func update(_ measured: Double) {
            let innovation = measured - position
            let total = positionVariance + 1
            let positionGain = positionVariance / total
            let velocityGain = covariance / total
            position += positionGain * innovation
            velocity += velocityGain * innovation
            velocityVariance -= velocityGain * covariance
            covariance -= positionGain * covariance
            positionVariance -= positionGain * positionVariance
        }
    }

    /// A quantity measured directly, without dynamics (yaw, sizes).
    struct Scalar: Sendable, Equatable {
        var value: Double
        var variance = 10.0

        mutating func predict() { variance += 1 }

        mutating func update(_ measured: Double) {
            let gain = variance / (variance + 1)
            value += gain * (measured - value)
            variance -= gain * variance
        }
    }

    var x: Axis, y: Axis, z: Axis
    var yaw: Scalar, length: Scalar, width: Scalar, height: Scalar

    /// A filter started at `box` with unknown velocity.
    public init(box: Cuboid) {
        x = Axis(position: box.center.x)
        y = Axis(position: box.center.y)
        z = Axis(position: box.center.z)
        yaw = Scalar(value: box.yaw)
        length = Scalar(value: box.size.length)
        width = Scalar(value: box.size.width)
        height = Scalar(value: box.size.height)
    }

    /// The box the state describes.
    public var box: Cuboid {
        Cuboid(
            center: SIMD3(x.position, y.position, z.position),
            size: Size3(
                length: max(length.value, 1e-3), width: max(width.value, 1e-3), height: max(height.value, 1e-3)),
            yaw: yaw.value)
    }

    /// Velocity per step.
    public var velocity: SIMD3<Double> { SIMD3(x.velocity, y.velocity, z.velocity) }

    /// The state vector: x y z yaw length width height vx vy vz.
    public var state: [Double] {
        [
            x.position, y.position, z.position, yaw.value, length.value, width.value, height.value, x.velocity,
            y.velocity, z.velocity
        ]
    }

    /// The full covariance, row-major 10 × 10 (zero outside the blocks).
    public var covariance: [Double] {
        let n = Self.stateSize
        var matrix = [Double](repeating: 0, count: n * n)
        for (index, axis) in [x, y, z].enumerated() {
            matrix[index * n + index] = axis.positionVariance
            matrix[index * n + 7 + index] = axis.covariance
            matrix[(7 + index) * n + index] = axis.covariance
            matrix[(7 + index) * n + 7 + index] = axis.velocityVariance
        }
        for (index, scalar) in [yaw, length, width, height].enumerated() {
            matrix[(3 + index) * n + 3 + index] = scalar.variance
        }
        return matrix
    }

    /// Advances the state by `steps` steps: `x ← F x`, `P ← F P Fᵀ + Q` per step.
    mutating func predict(steps: Int = 1) {
        for _ in 0..<max(0, steps) {
            x.predict()
            y.predict()
            z.predict()
            yaw.predict()
            length.predict()
            width.predict()
            height.predict()
        }
    }

    /// Corrects the state with a measured box. The measured yaw is first turned by π when it
    /// points against the state's (a box seen from behind looks the same), then brought within
    /// ±π of it, so the filter never averages across a flip.
    public mutating func update(with box: Cuboid) {
        x.update(box.center.x)
        y.update(box.center.y)
        z.update(box.center.z)
        yaw.update(Self.alignedYaw(box.yaw, to: yaw.value))
        yaw.value = Self.wrapped(yaw.value)
        length.update(box.size.length)
        width.update(box.size.width)
        height.update(box.size.height)
    }

    /// The Mahalanobis distance of a measured box from the state's predicted measurement,
    /// `√(yᵀ S⁻¹ y)` with `S = H P Hᵀ + R` (diagonal here: the blocks never couple measured
    /// quantities), the yaw difference taken after the flip correction `update` applies.
    func mahalanobisDistance(to box: Cuboid) -> Double {
        func term(_ measured: Double, _ predicted: Double, _ variance: Double) -> Double {
            (measured - predicted) * (measured - predicted) / (variance + 1)
        }
        let yawDifference = Self.alignedYaw(box.yaw, to: yaw.value) - yaw.value
        return
            (term(box.center.x, x.position, x.positionVariance) + term(box.center.y, y.position, y.positionVariance)
            + term(box.center.z, z.position, z.positionVariance) + yawDifference * yawDifference / (yaw.variance + 1)
            + term(box.size.length, length.value, length.variance) + term(box.size.width, width.value, width.variance)
            + term(box.size.height, height.value, height.variance)).squareRoot()
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

extension BoxKalmanFilter {
    /// Rauch–Tung–Striebel smoothing of one step, block by block: `self` is the filtered state at
    /// a step, `predicted` the prediction `steps` steps later, and `smoothedNext` the smoothed
    /// state there. Returns the smoothed state at this step (covariances are not smoothed).
    func smoothed(predicted: BoxKalmanFilter, smoothedNext: BoxKalmanFilter, steps: Int) -> BoxKalmanFilter {
        var result = self
        let s = Double(steps)
        func axis(_ filtered: Axis, _ predicted: Axis, _ next: Axis) -> Axis {
            // C = P_f Fᵀ P_p⁻¹ with F = [[1, s], [0, 1]].
            let a = filtered.positionVariance + s * filtered.covariance
            let b = filtered.covariance
            let c = filtered.covariance + s * filtered.velocityVariance
            let d = filtered.velocityVariance
            let determinant =
                predicted.positionVariance * predicted.velocityVariance - predicted.covariance * predicted.covariance
            guard determinant > 0 else { return filtered }
            let i11 = predicted.velocityVariance / determinant
            let i12 = -predicted.covariance / determinant
            let i22 = predicted.positionVariance / determinant
            let dp = next.position - predicted.position
            let dv = next.velocity - predicted.velocity
            var smoothed = filtered
            smoothed.position += (a * i11 + b * i12) * dp + (a * i12 + b * i22) * dv
            smoothed.velocity += (c * i11 + d * i12) * dp + (c * i12 + d * i22) * dv
            return smoothed
        }
        func scalar(_ filtered: Scalar, _ predicted: Scalar, _ next: Scalar, angular: Bool = false) -> Scalar {
            var difference = next.value - predicted.value
            if angular { difference = Self.wrapped(difference) }
            var smoothed = filtered
            smoothed.value += filtered.variance / predicted.variance * difference
            return smoothed
        }
        result.x = axis(x, predicted.x, smoothedNext.x)
        result.y = axis(y, predicted.y, smoothedNext.y)
        result.z = axis(z, predicted.z, smoothedNext.z)
        result.yaw = scalar(yaw, predicted.yaw, smoothedNext.yaw, angular: true)
        result.length = scalar(length, predicted.length, smoothedNext.length)
        result.width = scalar(width, predicted.width, smoothedNext.width)
        result.height = scalar(height, predicted.height, smoothedNext.height)
        return result
    }
}
