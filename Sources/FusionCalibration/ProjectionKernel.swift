import Foundation
import FusionGeometry

/// A camera's projection rounded to `Float` once, and the loop that runs it over coordinate columns.
/// The loop is branch-free and written for the auto-vectoriser: one pass reads x, y, z and writes u, v,
/// depth and flags, with no allocation and no call per point (except `atan` for fisheye lenses).
struct ProjectionKernel: Sendable {
    // cameraFromLidar, row-major.
    let r00, r01, r02, t0: Float
    let r10, r11, r12, t1: Float
    let r20, r21, r22, t2: Float
    let fx, fy, cx, cy: Float
    let near: Float
    /// Squared valid radius of the lens model (normalised coordinates).
    let maximumRadiusSquared: Float
    let uMinimum, uLimit, vMinimum, vLimit: Float
    let lens: LensDistortion

    init(camera: Camera) {
        let m = camera.cameraFromLidar.matrix
        (r00, r01, r02, t0) = (Float(m.row0.x), Float(m.row0.y), Float(m.row0.z), Float(m.row0.w))
        (r10, r11, r12, t1) = (Float(m.row1.x), Float(m.row1.y), Float(m.row1.z), Float(m.row1.w))
        (r20, r21, r22, t2) = (Float(m.row2.x), Float(m.row2.y), Float(m.row2.z), Float(m.row2.w))
        let k = camera.intrinsics
        (fx, fy, cx, cy) = (Float(k.fx), Float(k.fy), Float(k.cx), Float(k.cy))
        near = Float(camera.nearPlane)
        let radius = camera.distortion.validRadius
        maximumRadiusSquared = radius.isFinite ? Float(radius * radius) : .infinity
        (uMinimum, uLimit) = (-0.5, Float(camera.imageSize.width) - 0.5)
        (vMinimum, vLimit) = (-0.5, Float(camera.imageSize.height) - 0.5)
        lens = camera.distortion
    }

    /// Projects points `range` of the columns.
    func run(x: UnsafePointer<Float>, y: UnsafePointer<Float>, z: UnsafePointer<Float>, range: Range<Int>,
             u: UnsafeMutablePointer<Float>, v: UnsafeMutablePointer<Float>, depth: UnsafeMutablePointer<Float>,
             flags: UnsafeMutablePointer<UInt8>) {
        switch lens {
        case .none:
            loop(PinholeLens(), x, y, z, range, u, v, depth, flags)
        case .brownConrady(let c) where !c.isRational:
            loop(PolynomialLens(c), x, y, z, range, u, v, depth, flags)
        case .brownConrady(let c):
            loop(RationalLens(c), x, y, z, range, u, v, depth, flags)
        case .fisheye(let c):
            loop(FisheyeLens(c), x, y, z, range, u, v, depth, flags)
        }
    }

    @inline(__always)
    private func loop<Lens: LensKernel>(_ lens: Lens, _ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>,
                                        _ z: UnsafePointer<Float>, _ range: Range<Int>,
                                        _ u: UnsafeMutablePointer<Float>, _ v: UnsafeMutablePointer<Float>,
                                        _ depth: UnsafeMutablePointer<Float>, _ flags: UnsafeMutablePointer<UInt8>) {
        for i in range {
            let (px, py, pz) = (x[i], y[i], z[i])
            let xc = r00 * px + r01 * py + r02 * pz + t0
            let yc = r10 * px + r11 * py + r12 * pz + t1
            let zc = r20 * px + r21 * py + r22 * pz + t2
            let inverseDepth = 1 / zc
            let (xn, yn) = (xc * inverseDepth, yc * inverseDepth)
            let r2 = xn * xn + yn * yn
            let (xd, yd) = lens.distort(xn, yn, r2)
            let pu = fx * xd + cx
            let pv = fy * yd + cy
            u[i] = pu
            v[i] = pv
            depth[i] = zc
            // NaN compares false everywhere, so a non-finite point is neither in front nor inside.
            // The tests are combined as bits, not with `&&` or `?:`, which Swift lowers to branches
            // that stop the loop from vectorising.
            let sum = px + py + pz
            let inFront = bit(zc > near)
            let onImage = bit(r2 <= maximumRadiusSquared) & bit(pu >= uMinimum) & bit(pu < uLimit)
                & bit(pv >= vMinimum) & bit(pv < vLimit)
            flags[i] = inFront | (inFront & onImage) << 1 | bit(!(sum - sum == 0)) << 2
        }
    }
}

/// 1 for true, 0 for false, without a branch.
@inline(__always)
private func bit(_ condition: Bool) -> UInt8 { unsafeBitCast(condition, to: UInt8.self) }

/// The distortion step of a lens model on normalised coordinates (x = X/Z, y = Y/Z, r2 = x² + y²).
protocol LensKernel {
    func distort(_ x: Float, _ y: Float, _ r2: Float) -> (Float, Float)
}

struct PinholeLens: LensKernel {
    @inline(__always) func distort(_ x: Float, _ y: Float, _ r2: Float) -> (Float, Float) { (x, y) }
}

/// Brown-Conrady with k1 k2 k3 (`cv::projectPoints` with 4 or 5 coefficients).
struct PolynomialLens: LensKernel {
    let k1, k2, k3, p1, p2: Float
    init(_ c: BrownConradyCoefficients) {
        (k1, k2, k3, p1, p2) = (Float(c.k1), Float(c.k2), Float(c.k3), Float(c.p1), Float(c.p2))
    }

    @inline(__always) func distort(_ x: Float, _ y: Float, _ r2: Float) -> (Float, Float) {
        let radial = 1 + r2 * (k1 + r2 * (k2 + r2 * k3))
        let xy = x * y
        return (x * radial + 2 * p1 * xy + p2 * (r2 + 2 * x * x),
                y * radial + p1 * (r2 + 2 * y * y) + 2 * p2 * xy)
    }
}

/// OpenCV's rational model (8 coefficients): the radial factor has a denominator in k4 k5 k6.
struct RationalLens: LensKernel {
    let k1, k2, k3, k4, k5, k6, p1, p2: Float
    init(_ c: BrownConradyCoefficients) {
        (k1, k2, k3, k4, k5, k6) = (Float(c.k1), Float(c.k2), Float(c.k3), Float(c.k4), Float(c.k5), Float(c.k6))
        (p1, p2) = (Float(c.p1), Float(c.p2))
    }

    @inline(__always) func distort(_ x: Float, _ y: Float, _ r2: Float) -> (Float, Float) {
        let radial = (1 + r2 * (k1 + r2 * (k2 + r2 * k3))) / (1 + r2 * (k4 + r2 * (k5 + r2 * k6)))
        let xy = x * y
        return (x * radial + 2 * p1 * xy + p2 * (r2 + 2 * x * x),
                y * radial + p1 * (r2 + 2 * y * y) + 2 * p2 * xy)
    }
}

/// `cv::fisheye`: θ = atan(r), θd = θ (1 + k1 θ² + k2 θ⁴ + k3 θ⁶ + k4 θ⁸), scaled by θd / r.
struct FisheyeLens: LensKernel {
    let k1, k2, k3, k4: Float
    init(_ c: FisheyeCoefficients) {
        (k1, k2, k3, k4) = (Float(c.k1), Float(c.k2), Float(c.k3), Float(c.k4))
    }

    @inline(__always) func distort(_ x: Float, _ y: Float, _ r2: Float) -> (Float, Float) {
        let r = r2.squareRoot()
        let theta = atan(r)
        let t2 = theta * theta
        let thetaDistorted = theta * (1 + t2 * (k1 + t2 * (k2 + t2 * (k3 + t2 * k4))))
        // OpenCV's own guard against r → 0 (where θd / r → 1).
        let scale = r > 1e-8 ? thetaDistorted / r : 1
        return (x * scale, y * scale)
    }
}
