import Foundation
import FusionGeometry

/// Turns ground-truth boxes into detector-like output, for testing trackers where no detector
/// runs. Per labelled box (DontCare left out), in this order of draws:
/// - it is missed with probability `missRate`;
/// - its centre moves by a normal error of `positionNoise + positionNoisePerMetre · range` metres
///   per axis (z at half that), each size is scaled by `1 + sizeNoise · N(0, 1)`, the yaw moves by
///   `yawNoise · N(0, 1)` and turns by π with probability `flipRate`;
/// - its score is `0.75 + 0.12 · N(0, 1)`, clipped to 0.05...1.
/// Then `falsePositivesPerFrame` (on average; Poisson) boxes of the class's mean size appear at
/// uniform positions 5–60 m ahead within ±30 m to the side, with scores `0.35 + 0.12 · N(0, 1)`.
/// The same seed and input give the same detections.
public struct DetectionNoiseModel: Sendable, Equatable {
    var missRate = 0.1
    var positionNoise = 0.1
    var positionNoisePerMetre = 0.004
    var sizeNoise = 0.03
    var yawNoise = 0.05
    var flipRate = 0.02
    var falsePositivesPerFrame = 0.5
    public var seed: UInt64

    public init(seed: UInt64) {
        self.seed = seed
    }

    /// Detections for every frame of `sequence`, for the classes in `classes`.
    public func detections(for sequence: TrackingSequence, classes: Set<String>) -> [[Detection]] {
        var random = SeededRandomNumberGenerator(seed: seed)
        func normal() -> Double { random.nextGaussian() }
        var meanSizes: [String: Size3] = [:]
        for objectClass in classes {
            let boxes = sequence.frames.flatMap { $0 }.filter { $0.objectClass == objectClass }.map(\.box.size)
            guard !boxes.isEmpty else { continue }
            let count = Double(boxes.count)
            meanSizes[objectClass] = Size3(
                length: boxes.map(\.length).reduce(0, +) / count, width: boxes.map(\.width).reduce(0, +) / count,
                height: boxes.map(\.height).reduce(0, +) / count)
        }
        return sequence.frames.map { objects in
            var detections: [Detection] = []
            for object in objects where !object.isDontCare && classes.contains(object.objectClass) {
                let missed = random.nextUnitDouble() < missRate
                let range = (object.box.center.x * object.box.center.x + object.box.center.y * object.box.center.y)
                    .squareRoot()
                let spread = positionNoise + positionNoisePerMetre * range
                let offset = SIMD3(normal() * spread, normal() * spread, normal() * spread / 2)
                let size = object.box.size
                let scaled = Size3(
                    length: size.length * (1 + sizeNoise * normal()), width: size.width * (1 + sizeNoise * normal()),
                    height: size.height * (1 + sizeNoise * normal()))
                let yaw = object.box.yaw + yawNoise * normal() + (random.nextUnitDouble() < flipRate ? .pi : 0)
                let score = min(1, max(0.05, 0.75 + 0.12 * normal()))
                guard !missed, scaled.isValid else { continue }
                detections.append(
                    Detection(
                        box: Cuboid(center: object.box.center + offset, size: scaled, yaw: yaw), score: score,
                        objectClass: object.objectClass))
            }
            for objectClass in classes.sorted() {
                guard let size = meanSizes[objectClass] else { continue }
                for _ in 0..<poisson(falsePositivesPerFrame / Double(classes.count), &random) {
                    let center = SIMD3(
                        random.nextDouble(in: 5..<60), random.nextDouble(in: -30..<30), size.height / 2 - 1.7)
                    detections.append(
                        Detection(
                            box: Cuboid(center: center, size: size, yaw: random.nextDouble(in: -Double.pi..<Double.pi)),
                            score: min(1, max(0.05, 0.35 + 0.12 * normal())), objectClass: objectClass))
                }
            }
            return detections
        }
    }

    /// A Poisson draw by Knuth's product of uniforms (fine for small means).
    private func poisson(_ mean: Double, _ random: inout SeededRandomNumberGenerator) -> Int {
        let limit = exp(-mean)
        var count = 0
        var product = random.nextUnitDouble()
        while product > limit {
            count += 1
            product *= random.nextUnitDouble()
        }
        return count
    }
}
