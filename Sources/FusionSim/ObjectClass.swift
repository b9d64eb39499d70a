import FusionGeometry

/// The classes of road users FusionSim places, with their size priors and body shapes.
public enum ObjectClass: String, CaseIterable, Sendable {
    case car, van, truck, pedestrian, cyclist

    /// The label written to ground truth (KITTI's class names).
    public var labelName: String {
        switch self {
        case .car: "Car"
        case .van: "Van"
        case .truck: "Truck"
        case .pedestrian: "Pedestrian"
        case .cyclist: "Cyclist"
        }
    }

    /// Mean box size, metres: the mean over the objects of the class in the KITTI tracking val
    /// labels (`../shared/scenes/kitti-tracking-val`), one box per track (190 cars, 20 vans, 7
    /// trucks, 142 pedestrians, 28 cyclists).
    public var meanSize: Size3 {
        switch self {
        case .car: Size3(length: 3.87, width: 1.64, height: 1.50)
        case .van: Size3(length: 5.04, width: 1.95, height: 2.21)
        case .truck: Size3(length: 8.40, width: 2.57, height: 3.35)
        case .pedestrian: Size3(length: 0.85, width: 0.70, height: 1.74)
        case .cyclist: Size3(length: 1.79, width: 0.66, height: 1.74)
        }
    }

    /// Standard deviation of each size over the same objects, metres.
    public var sizeDeviation: Size3 {
        switch self {
        case .car: Size3(length: 0.46, width: 0.11, height: 0.12)
        case .van: Size3(length: 0.65, width: 0.21, height: 0.42)
        case .truck: Size3(length: 1.87, width: 0.24, height: 0.53)
        case .pedestrian: Size3(length: 0.21, width: 0.15, height: 0.13)
        case .cyclist: Size3(length: 0.13, width: 0.12, height: 0.11)
        }
    }

    /// Sizes a real object of the class can have, metres (the ranges of FusionQA's standard
    /// labelling guideline): the priors' tails are wide (KITTI's vans run from minivans to high
    /// roofs), and a draw is clamped to them.
    var plausibleSize: (length: ClosedRange<Double>, width: ClosedRange<Double>, height: ClosedRange<Double>) {
        switch self {
        case .car: (2.5...6.0, 1.3...2.3, 1.1...2.2)
        case .van: (3.5...7.0, 1.5...2.6, 1.6...3.2)
        case .truck: (4.5...20.0, 1.8...3.2, 2.0...4.5)
        case .pedestrian: (0.2...1.5, 0.2...1.4, 0.9...2.3)
        case .cyclist: (1.0...2.6, 0.3...1.3, 1.0...2.2)
        }
    }

    /// A size drawn from the prior: independent normals, each clipped to ±2 standard deviations
    /// and to `plausibleSize`.
    func drawSize(_ random: inout SeededRandomNumberGenerator) -> Size3 {
        func draw(_ mean: Double, _ deviation: Double, _ limits: ClosedRange<Double>) -> Double {
            min(limits.upperBound, max(limits.lowerBound, mean + deviation * min(2, max(-2, random.nextGaussian()))))
        }
        let mean = meanSize
        let deviation = sizeDeviation
        let limits = plausibleSize
        return Size3(
            length: draw(mean.length, deviation.length, limits.length),
            width: draw(mean.width, deviation.width, limits.width),
            height: draw(mean.height, deviation.height, limits.height))
    }

    /// The body of an object of this class and `size`, in the box frame (origin at the box centre,
    /// x forward, z up). Every part lies inside the box, so the box is the tight ground truth.
    func body(size: Size3, paint: SurfaceMaterial) -> SimulatedBody {
        let l = size.length / 2
        let w = size.width / 2
        let h = size.height / 2
        func box(
            _ x0: Double, _ x1: Double, _ y0: Double, _ y1: Double, _ z0: Double, _ z1: Double,
            _ material: SurfaceMaterial
        ) -> BodyPart {
            BodyPart(shape: .box(minimum: SIMD3(x0, y0, z0), maximum: SIMD3(x1, y1, z1)), material: material)
        }
        /// Fractions of the height measured from the bottom.
        func z(_ fraction: Double) -> Double { -h + fraction * size.height }
        func wheels(front: Double, rear: Double, top: Double) -> [BodyPart] {
            let radius = min(0.38, top * size.height / 2 + 0.05)
            return [front, rear].flatMap { axle in
                [
                    box(axle - radius, axle + radius, -w, -w + 0.22, z(0), z(top), .tyre),
                    box(axle - radius, axle + radius, w - 0.22, w, z(0), z(top), .tyre)
                ]
            }
        }
        switch self {
        case .car, .van:
            let isVan = self == .van
            let sill = isVan ? 0.17 : 0.2
            let beltLine = isVan ? 0.5 : 0.6
            let cabinFront = isVan ? 0.45 * l : 0.3 * l
            let cabinRear = isVan ? -l : -0.6 * l
            return SimulatedBody(
                parts: [
                    box(-l, l, -w, w, z(sill), z(beltLine), paint),
                    box(cabinRear, cabinFront, -0.92 * w, 0.92 * w, z(beltLine), z(1), isVan ? paint : .glass)
                ] + wheels(front: 0.62 * l, rear: -0.62 * l, top: sill))
        case .truck:
            return SimulatedBody(
                parts: [
                    box(0.55 * l, l, -w, w, z(0.15), z(0.82), paint),
                    box(-l, 0.52 * l, -w, w, z(0.22), z(1), SurfaceMaterial.paints[2])
                ] + wheels(front: 0.78 * l, rear: -0.7 * l, top: 0.15))
        case .pedestrian:
            let legRadius = min(0.09, w / 3)
            let torso = SIMD3(min(0.16, l * 0.6), min(0.24, w * 0.9), 0.19 * size.height)
            let headRadius = min(0.11, w * 0.5)
            return SimulatedBody(parts: [
                BodyPart(
                    shape: .cylinder(
                        base: SIMD3(0.05 * l, -w / 3, z(0)), radius: legRadius, height: 0.48 * size.height),
                    material: SurfaceMaterial.clothes[0]),
                BodyPart(
                    shape: .cylinder(
                        base: SIMD3(-0.05 * l, w / 3, z(0)), radius: legRadius, height: 0.48 * size.height),
                    material: SurfaceMaterial.clothes[0]),
                BodyPart(shape: .ellipsoid(center: SIMD3(0, 0, z(0.66)), radii: torso), material: paint),
                BodyPart(
                    shape: .ellipsoid(center: SIMD3(0, 0, h - headRadius), radii: SIMD3(repeating: headRadius)),
                    material: .skin)
            ])
        case .cyclist:
            let headRadius = min(0.11, w * 0.5)
            return SimulatedBody(parts: [
                box(-l, l, -0.04, 0.04, z(0), z(0.42), .tyre),
                BodyPart(
                    shape: .cylinder(base: SIMD3(0, -0.12, z(0.3)), radius: 0.07, height: 0.28 * size.height),
                    material: SurfaceMaterial.clothes[0]),
                BodyPart(
                    shape: .cylinder(base: SIMD3(0, 0.12, z(0.3)), radius: 0.07, height: 0.28 * size.height),
                    material: SurfaceMaterial.clothes[0]),
                BodyPart(
                    shape: .ellipsoid(
                        center: SIMD3(-0.08 * l, 0, z(0.72)),
                        radii: SIMD3(min(0.2, 0.5 * l), min(0.22, w * 0.9), 0.15 * size.height)),
                    material: paint),
                BodyPart(
                    shape: .ellipsoid(center: SIMD3(0.05 * l, 0, h - headRadius), radii: SIMD3(repeating: headRadius)),
                    material: .skin)
            ])
        }
    }
}
