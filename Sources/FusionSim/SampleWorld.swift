import FusionGeometry

/// A thing in the simulated world: a box that moves at constant velocity and reflects with a
/// given strength. Labelled things become ground-truth objects; unlabelled ones (walls) do not.
public struct SimulatedObject: Sendable {
    /// `nil` for background that is not annotated.
    public var label: String?
    /// The box at time 0, world frame.
    public var initialBox: Cuboid
    /// Metres per second, world frame; the box keeps its rotation.
    public var velocity: SIMD3<Double>
    /// Share of light returned at normal incidence, 0...1.
    public var reflectivity: Double

    public init(label: String?, initialBox: Cuboid, velocity: SIMD3<Double> = .zero, reflectivity: Double) {
        self.label = label
        self.initialBox = initialBox
        self.velocity = velocity
        self.reflectivity = reflectivity
    }

    /// The box at `time` seconds.
    public func box(at time: Double) -> Cuboid {
        var box = initialBox
        box.center += velocity * time
        return box
    }
}

/// The simulated world of the bundled sample scene: flat ground at z = 0, a wall, two cars (one
/// parked, one oncoming), a pedestrian and a cyclist. Positions are jittered by the seed.
public struct SampleWorld: Sendable {
    public var objects: [SimulatedObject]
    /// Reflectivity of the ground.
    public var groundReflectivity = 0.12

    public init(seed: UInt64) {
        var random = SeededRandomNumberGenerator(seed: seed ^ 0x5EED_0F_5A_3E1E)
        func jitter(_ metres: Double) -> Double { random.nextDouble(in: -metres..<metres) }
        func box(_ x: Double, _ y: Double, _ size: Size3, yaw: Double) -> Cuboid {
            Cuboid(center: SIMD3(x + jitter(1), y + jitter(0.3), size.height / 2), size: size, yaw: yaw + jitter(0.05))
        }
        objects = [
            SimulatedObject(label: nil, initialBox: Cuboid(center: SIMD3(10, 13, 3), size: Size3(length: 60, width: 1, height: 6), yaw: 0),
                            reflectivity: 0.3),
            SimulatedObject(label: "Car", initialBox: box(16, 5, Size3(length: 4.5, width: 1.9, height: 1.6), yaw: 0.08), reflectivity: 0.6),
            SimulatedObject(label: "Car", initialBox: box(28, -3.5, Size3(length: 4.2, width: 1.8, height: 1.5), yaw: .pi),
                            velocity: SIMD3(-8, 0, 0), reflectivity: 0.55),
            SimulatedObject(label: "Pedestrian", initialBox: box(11, -6.5, Size3(length: 0.6, width: 0.65, height: 1.75), yaw: .pi / 2),
                            velocity: SIMD3(0, 1.3, 0), reflectivity: 0.35),
            SimulatedObject(label: "Cyclist", initialBox: box(-10, 2.5, Size3(length: 1.8, width: 0.6, height: 1.7), yaw: 0),
                            velocity: SIMD3(4.5, 0, 0), reflectivity: 0.4),
        ]
    }
}
