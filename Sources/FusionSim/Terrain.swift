import Foundation

/// The ground of a simulated world (world frame, metres): a sloped plane with a little smooth
/// roughness, and a straight street along world x painted on it.
///
/// Height: `z(x, y) = baseHeight + slope · (x, y) + Σ amplitude · wave(waveVector · (x, y) + phase)`,
/// where `wave` is the parabolic sine (period 2π, ±1 at ±π/2, continuous slope): a smooth bump
/// that needs no `sin`, so the ground costs a few multiplications per ray and is the same on
/// every libm.
public struct Terrain: Sendable, Equatable {
    /// One sinusoidal undulation of the surface.
    struct Undulation: Sendable, Equatable {
        /// Wave vector, radians per metre (its length is 2π / wavelength).
        var waveVector: SIMD2<Double>
        public var phase: Double
        /// Metres.
        var amplitude: Double
    }

    var baseHeight = 0.0
    /// Rise per metre along world x and y.
    public var slope = SIMD2<Double>(0, 0)
    var undulations: [Undulation] = []
    /// The street: |y| ≤ `roadHalfWidth` is asphalt, then sidewalk up to `sidewalkOuterEdge`.
    var roadHalfWidth = 7.0
    public var sidewalkOuterEdge = 11.0
    /// Lane lines: centre line at y = 0 (solid) and dashed lines at ±`laneLineOffset`.
    var laneLineOffset = 4.5

    public init() {}

    /// Ground height at `(x, y)`.
    public func height(x: Double, y: Double) -> Double {
        surface(x: x, y: y).height
    }

    /// `(∂z/∂x, ∂z/∂y)` at `(x, y)`.
    public func gradient(x: Double, y: Double) -> SIMD2<Double> {
        surface(x: x, y: y).gradient
    }

    /// Height and gradient at `(x, y)` in one pass.
    func surface(x: Double, y: Double) -> (height: Double, gradient: SIMD2<Double>) {
        var height = baseHeight + slope.x * x + slope.y * y
        var gradient = slope
        for wave in undulations {
            let (value, derivative) = Self.parabolicSine(wave.waveVector.x * x + wave.waveVector.y * y + wave.phase)
            height += wave.amplitude * value
            gradient += wave.amplitude * derivative * wave.waveVector
        }
        return (height, gradient)
    }

    /// `4r(π − |r|)/π²` for the phase reduced to `r` in [−π, π], and its derivative.
    static func parabolicSine(_ phase: Double) -> (value: Double, derivative: Double) {
        // The nearest whole number of turns, through an integer conversion (no libm call).
        let turns = phase / (2 * .pi) + 0.5
        var whole = Double(Int(turns))
        if whole > turns { whole -= 1 }
        let reduced = phase - 2 * .pi * whole
        let scale = 4 / (Double.pi * Double.pi)
        return (scale * reduced * (.pi - abs(reduced)), scale * (.pi - 2 * abs(reduced)))
    }

    /// The upward unit normal at `(x, y)`.
    public func normal(x: Double, y: Double) -> SIMD3<Double> {
        let gradient = gradient(x: x, y: y)
        let normal = SIMD3(-gradient.x, -gradient.y, 1)
        return normal / normal.length
    }

    /// What the ground is made of at `(x, y)`.
    func material(x: Double, y: Double) -> SurfaceMaterial {
        let across = abs(y)
        if across > roadHalfWidth { return .sidewalk }
        let lineHalfWidth = 0.075
        if across < lineHalfWidth { return .lanePaint }
        // Dashes 3 m long every 9 m.
        if abs(across - laneLineOffset) < lineHalfWidth,
            (x.truncatingRemainder(dividingBy: 9) + 9).truncatingRemainder(dividingBy: 9) < 3
        {
            return .lanePaint
        }
        return .asphalt
    }

    /// The distance along `ray` to the ground, below `limit`, and the upward unit normal there; nil
    /// when the ray does not come down to it. Intersects the sloped plane, then refines on the
    /// undulations by Newton's method until the point is within 0.1 mm of the surface.
    func hit(_ ray: Ray, limit: Double) -> (distance: Double, normal: SIMD3<Double>)? {
        let descent = slope.x * ray.direction.x + slope.y * ray.direction.y - ray.direction.z
        guard descent > 1e-9 else { return nil }
        let clearance = ray.origin.z - (baseHeight + slope.x * ray.origin.x + slope.y * ray.origin.y)
        var t = clearance / descent
        guard t > 0, t < limit * 1.05 else { return nil }
        var gradient = slope
        for _ in 0..<6 {
            let point = ray.origin + t * ray.direction
            let surface = surface(x: point.x, y: point.y)
            gradient = surface.gradient
            let above = point.z - surface.height
            let rate = ray.direction.z - gradient.x * ray.direction.x - gradient.y * ray.direction.y
            if abs(above) < 1e-4 || rate > -1e-9 { break }
            t -= above / rate
        }
        guard t > 0, t < limit else { return nil }
        let normal = SIMD3(-gradient.x, -gradient.y, 1)
        return (t, normal / normal.length)
    }
}
