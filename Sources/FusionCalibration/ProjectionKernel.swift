import Foundation
import FusionGeometry

/// Sixteen points at a time: two AVX2 registers, four SSE ones. Sixteen lanes give the baseline x86-64
/// build enough independent work per iteration and narrow sixteen flags to bytes in one store.
typealias ProjectionLanes = SIMD16<Float>

/// A camera's projection rounded to `Float` once, and the loop that runs it over coordinate columns.
/// The loop is written with explicit 16-lane vectors (the auto-vectoriser, given the scalar loop, chose
/// four lanes on baseline x86-64 and spent a quarter of the time narrowing flags): one pass reads x, y,
/// z and writes u, v, depth and flags, branch-free, with no allocation and no call per point (except
/// `atan` for fisheye lenses).
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
    func run(
        x: UnsafePointer<Float>, y: UnsafePointer<Float>, z: UnsafePointer<Float>, range: Range<Int>,
        u: UnsafeMutablePointer<Float>, v: UnsafeMutablePointer<Float>, depth: UnsafeMutablePointer<Float>,
        flags: UnsafeMutablePointer<UInt8>
    ) {
        let columns = Columns(x: x, y: y, z: z, u: u, v: v, depth: depth, flags: flags)
        switch lens {
        case .none:
            loop(PinholeLens(), columns, range)
        case .brownConrady(let c) where !c.isRational:
            loop(PolynomialLens(c), columns, range)
        case .brownConrady(let c):
            loop(RationalLens(c), columns, range)
        case .fisheye(let c):
            loop(FisheyeLens(c), columns, range)
        }
    }

    private struct Columns {
        let x, y, z: UnsafePointer<Float>
        let u, v, depth: UnsafeMutablePointer<Float>
        let flags: UnsafeMutablePointer<UInt8>
    }

    @inline(__always)
    private func loop<Lens: LensKernel>(_ lens: Lens, _ columns: Columns, _ range: Range<Int>) {
        let width = ProjectionLanes.scalarCount
        var start = range.lowerBound
        while start + width <= range.upperBound {
            let (pu, pv, zc, flags) = project(
                lens, load(columns.x + start), load(columns.y + start),
                load(columns.z + start))
            store(pu, to: columns.u + start)
            store(pv, to: columns.v + start)
            store(zc, to: columns.depth + start)
            UnsafeMutableRawPointer(columns.flags + start).storeBytes(of: flags, as: SIMD16<UInt8>.self)
            start += width
        }
        guard start < range.upperBound else { return }
        // The last 1-15 points: lanes past the end read zeros and are not written.
        let count = range.upperBound - start
        let (pu, pv, zc, flags) = project(
            lens, load(columns.x + start, count: count),
            load(columns.y + start, count: count),
            load(columns.z + start, count: count))
        for lane in 0..<count {
            (columns.u[start + lane], columns.v[start + lane]) = (pu[lane], pv[lane])
            (columns.depth[start + lane], columns.flags[start + lane]) = (zc[lane], flags[lane])
        }
    }

    /// Pixels, camera z and `ProjectionFlags` of sixteen points (LiDAR frame).
    @inline(__always)
    private func project<Lens: LensKernel>(
        _ lens: Lens, _ px: ProjectionLanes, _ py: ProjectionLanes,
        _ pz: ProjectionLanes
    )
        -> (u: ProjectionLanes, v: ProjectionLanes, depth: ProjectionLanes, flags: SIMD16<UInt8>)
    {
        let xc = multiplyAdd(r02, pz, multiplyAdd(r01, py, r00 * px)) + t0
        let yc = multiplyAdd(r12, pz, multiplyAdd(r11, py, r10 * px)) + t1
        let zc = multiplyAdd(r22, pz, multiplyAdd(r21, py, r20 * px)) + t2
        let inverseDepth = 1 / zc
        let (xn, yn) = (xc * inverseDepth, yc * inverseDepth)
        let r2 = multiplyAdd(xn, xn, yn * yn)
        let (xd, yd) = lens.distort(xn, yn, r2)
        let pu = multiplyAdd(fx, xd, ProjectionLanes(repeating: cx))
        let pv = multiplyAdd(fy, yd, ProjectionLanes(repeating: cy))
        // NaN compares false everywhere, so a non-finite point is never inside. A NaN or infinite
        // coordinate always makes zc non-finite (a coefficient times infinity is never finite), so zc
        // alone tells, in two operations where the three coordinates took four.
        let inFront = zc .> near
        let onImage =
            inFront .& (r2 .<= maximumRadiusSquared) .& (pu .>= uMinimum) .& (pu .< uLimit)
            .& (pv .>= vMinimum) .& (pv .< vLimit)
        let nonFinite = zc - zc .!= 0
        let flags =
            bits(inFront, ProjectionFlags.inFront) | bits(onImage, ProjectionFlags.insideImage)
            | bits(nonFinite, ProjectionFlags.nonFinite)
        return (pu, pv, zc, SIMD16<UInt8>(truncatingIfNeeded: flags))
    }
}

/// `flag`'s bit in every lane where `mask` is set, 0 elsewhere.
@inline(__always)
private func bits(_ mask: SIMDMask<SIMD16<Int32>>, _ flag: ProjectionFlags) -> SIMD16<Int32> {
    SIMD16<Int32>(repeating: 0).replacing(with: Int32(flag.rawValue), where: mask)
}

@inline(__always)
private func load(_ pointer: UnsafePointer<Float>) -> ProjectionLanes {
    UnsafeRawPointer(pointer).loadUnaligned(as: ProjectionLanes.self)
}

/// The first `count` lanes from `pointer`, zeros after them.
private func load(_ pointer: UnsafePointer<Float>, count: Int) -> ProjectionLanes {
    var lanes = ProjectionLanes()
    for lane in 0..<count { lanes[lane] = pointer[lane] }
    return lanes
}

@inline(__always)
private func store(_ lanes: ProjectionLanes, to pointer: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(pointer).storeBytes(of: lanes, as: ProjectionLanes.self)
}

/// `a * b + c` in every lane. Built with the `FusedMultiplyAdd` package trait it is one fused operation
/// (one rounding, `vfmadd` on x86-64-v3); otherwise a multiply then an add, so the default build gives
/// the same bits on every x86-64 and never calls a software `fmaf`. Enable the trait only with a
/// target CPU that has FMA (README, "Building for AVX2").
@inline(__always)
func multiplyAdd(_ a: ProjectionLanes, _ b: ProjectionLanes, _ c: ProjectionLanes) -> ProjectionLanes {
    #if FusedMultiplyAdd
        c.addingProduct(a, b)
    #else
        a * b + c
    #endif
}

@inline(__always)
func multiplyAdd(_ a: Float, _ b: ProjectionLanes, _ c: ProjectionLanes) -> ProjectionLanes {
    multiplyAdd(ProjectionLanes(repeating: a), b, c)
}

/// c0 + c1 t + c2 t² + c3 t³ in every lane, by Horner's rule.
@inline(__always)
private func cubic(_ t: ProjectionLanes, _ c0: Float, _ c1: Float, _ c2: Float, _ c3: Float) -> ProjectionLanes {
    let inner = multiplyAdd(c3, t, ProjectionLanes(repeating: c2))
    return multiplyAdd(t, multiplyAdd(t, inner, ProjectionLanes(repeating: c1)), ProjectionLanes(repeating: c0))
}

/// The distortion step of a lens model on normalised coordinates (x = X/Z, y = Y/Z, r2 = x² + y²).
protocol LensKernel {
    func distort(_ x: ProjectionLanes, _ y: ProjectionLanes, _ r2: ProjectionLanes) -> (
        ProjectionLanes, ProjectionLanes
    )
}

struct PinholeLens: LensKernel {
    @inline(__always)
    func distort(_ x: ProjectionLanes, _ y: ProjectionLanes, _ r2: ProjectionLanes) -> (
        ProjectionLanes, ProjectionLanes
    ) {
        (x, y)
    }
}

/// Brown-Conrady with k1 k2 k3 (`cv::projectPoints` with 4 or 5 coefficients).
struct PolynomialLens: LensKernel {
    let k1, k2, k3, p1, p2: Float
    init(_ c: BrownConradyCoefficients) {
        (k1, k2, k3, p1, p2) = (Float(c.k1), Float(c.k2), Float(c.k3), Float(c.p1), Float(c.p2))
    }

    @inline(__always)
    func distort(_ x: ProjectionLanes, _ y: ProjectionLanes, _ r2: ProjectionLanes) -> (
        ProjectionLanes, ProjectionLanes
    ) {
        let radial = cubic(r2, 1, k1, k2, k3)
        let xy = x * y
        return (
            multiplyAdd(p2, r2 + 2 * x * x, multiplyAdd(2 * p1, xy, x * radial)),
            multiplyAdd(2 * p2, xy, multiplyAdd(p1, r2 + 2 * y * y, y * radial))
        )
    }
}

/// OpenCV's rational model (8 coefficients): the radial factor has a denominator in k4 k5 k6.
struct RationalLens: LensKernel {
    let k1, k2, k3, k4, k5, k6, p1, p2: Float
    init(_ c: BrownConradyCoefficients) {
        (k1, k2, k3, k4, k5, k6) = (Float(c.k1), Float(c.k2), Float(c.k3), Float(c.k4), Float(c.k5), Float(c.k6))
        (p1, p2) = (Float(c.p1), Float(c.p2))
    }

    @inline(__always)
    func distort(_ x: ProjectionLanes, _ y: ProjectionLanes, _ r2: ProjectionLanes) -> (
        ProjectionLanes, ProjectionLanes
    ) {
        let numerator = cubic(r2, 1, k1, k2, k3)
        let radial = numerator / cubic(r2, 1, k4, k5, k6)
        let xy = x * y
        return (
            multiplyAdd(p2, r2 + 2 * x * x, multiplyAdd(2 * p1, xy, x * radial)),
            multiplyAdd(2 * p2, xy, multiplyAdd(p1, r2 + 2 * y * y, y * radial))
        )
    }
}

/// `cv::fisheye`: θ = atan(r), θd = θ (1 + k1 θ² + k2 θ⁴ + k3 θ⁶ + k4 θ⁸), scaled by θd / r.
struct FisheyeLens: LensKernel {
    let k1, k2, k3, k4: Float
    init(_ c: FisheyeCoefficients) {
        (k1, k2, k3, k4) = (Float(c.k1), Float(c.k2), Float(c.k3), Float(c.k4))
    }

    @inline(__always)
    func distort(_ x: ProjectionLanes, _ y: ProjectionLanes, _ r2: ProjectionLanes) -> (
        ProjectionLanes, ProjectionLanes
    ) {
        let r = r2.squareRoot()
        var theta = ProjectionLanes()
        for lane in 0..<ProjectionLanes.scalarCount { theta[lane] = atan(r[lane]) }
        let t2 = theta * theta
        let polynomial = multiplyAdd(t2, cubic(t2, k1, k2, k3, k4), .one)
        let thetaDistorted = theta * polynomial
        // OpenCV's own guard against r → 0 (where θd / r → 1).
        let scale = (thetaDistorted / r).replacing(with: 1, where: .!(r .> 1e-8))
        return (x * scale, y * scale)
    }
}
