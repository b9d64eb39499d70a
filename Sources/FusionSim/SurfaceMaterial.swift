/// How a surface looks to the sensors.
struct SurfaceMaterial: Hashable, Sendable {
    /// Share of the LiDAR's near-infrared light returned at normal incidence, 0...1 (Lambertian).
    public var reflectivity: Double
    /// Diffuse colour for the cameras, linear 0...1 per channel (red, green, blue).
    var albedo: SIMD3<Double>

    public init(reflectivity: Double, albedo: SIMD3<Double>) {
        self.reflectivity = reflectivity
        self.albedo = albedo
    }

    static let asphalt = SurfaceMaterial(reflectivity: 0.10, albedo: SIMD3(0.23, 0.23, 0.25))
    /// Retroreflective road paint: the brightest thing a street LiDAR sees.
    static let lanePaint = SurfaceMaterial(reflectivity: 0.85, albedo: SIMD3(0.85, 0.85, 0.8))
    static let sidewalk = SurfaceMaterial(reflectivity: 0.25, albedo: SIMD3(0.55, 0.53, 0.5))
    static let kerb = SurfaceMaterial(reflectivity: 0.30, albedo: SIMD3(0.68, 0.67, 0.64))
    public static let pole = SurfaceMaterial(reflectivity: 0.45, albedo: SIMD3(0.4, 0.42, 0.45))
    static let bark = SurfaceMaterial(reflectivity: 0.30, albedo: SIMD3(0.3, 0.22, 0.15))
    /// Leaves reflect near-infrared strongly although they look dark green.
    static let foliage = SurfaceMaterial(reflectivity: 0.50, albedo: SIMD3(0.18, 0.38, 0.14))
    static let glass = SurfaceMaterial(reflectivity: 0.06, albedo: SIMD3(0.1, 0.13, 0.16))
    static let tyre = SurfaceMaterial(reflectivity: 0.04, albedo: SIMD3(0.05, 0.05, 0.05))
    static let skin = SurfaceMaterial(reflectivity: 0.2, albedo: SIMD3(0.75, 0.58, 0.48))

    /// Facade colours of buildings, with plaster-like reflectivity.
    static let facades: [SurfaceMaterial] = [
        SurfaceMaterial(reflectivity: 0.35, albedo: SIMD3(0.78, 0.72, 0.6)),
        SurfaceMaterial(reflectivity: 0.30, albedo: SIMD3(0.62, 0.38, 0.3)),
        SurfaceMaterial(reflectivity: 0.40, albedo: SIMD3(0.85, 0.85, 0.82)),
        SurfaceMaterial(reflectivity: 0.28, albedo: SIMD3(0.5, 0.52, 0.55))
    ]

    /// Car paints: black paint returns little light, white and silver a lot.
    static let paints: [SurfaceMaterial] = [
        SurfaceMaterial(reflectivity: 0.08, albedo: SIMD3(0.04, 0.04, 0.05)),
        SurfaceMaterial(reflectivity: 0.65, albedo: SIMD3(0.9, 0.9, 0.9)),
        SurfaceMaterial(reflectivity: 0.50, albedo: SIMD3(0.62, 0.63, 0.66)),
        SurfaceMaterial(reflectivity: 0.30, albedo: SIMD3(0.65, 0.08, 0.07)),
        SurfaceMaterial(reflectivity: 0.25, albedo: SIMD3(0.1, 0.2, 0.55)),
        SurfaceMaterial(reflectivity: 0.35, albedo: SIMD3(0.35, 0.36, 0.38))
    ]

    /// Clothing colours; fabric returns little near-infrared light (KITTI's pedestrians average
    /// an intensity below 0.1).
    static let clothes: [SurfaceMaterial] = [
        SurfaceMaterial(reflectivity: 0.06, albedo: SIMD3(0.1, 0.1, 0.12)),
        SurfaceMaterial(reflectivity: 0.12, albedo: SIMD3(0.2, 0.3, 0.6)),
        SurfaceMaterial(reflectivity: 0.20, albedo: SIMD3(0.8, 0.75, 0.2)),
        SurfaceMaterial(reflectivity: 0.10, albedo: SIMD3(0.6, 0.15, 0.2))
    ]
}
