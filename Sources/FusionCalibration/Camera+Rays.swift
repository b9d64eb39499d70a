import Foundation
import FusionGeometry

extension LensDistortion {
    /// Distorts normalised coordinates (x = X/Z, y = Y/Z), in double precision; OpenCV's formulas.
    func distort(_ point: SIMD2<Double>) -> SIMD2<Double> {
        let (x, y) = (point.x, point.y)
        let r2 = x * x + y * y
        switch self {
        case .none:
            return point
        case .brownConrady(let c):
            let radial = (1 + r2 * (c.k1 + r2 * (c.k2 + r2 * c.k3))) / (1 + r2 * (c.k4 + r2 * (c.k5 + r2 * c.k6)))
            return SIMD2(
                x * radial + 2 * c.p1 * x * y + c.p2 * (r2 + 2 * x * x),
                y * radial + c.p1 * (r2 + 2 * y * y) + 2 * c.p2 * x * y)
        case .fisheye(let c):
            let r = r2.squareRoot()
            guard r > 1e-8 else { return point }
            let theta = atan(r)
            let t2 = theta * theta
            return point * (theta * (1 + t2 * (c.k1 + t2 * (c.k2 + t2 * (c.k3 + t2 * c.k4)))) / r)
        }
    }

    /// Inverts `distort` by fixed-point iteration (as `cv::undistortPoints` does; Newton's method on θ
    /// for fisheye lenses). Accurate to about 1e-9 inside the valid field of view.
    func undistort(_ distorted: SIMD2<Double>) -> SIMD2<Double> {
        switch self {
        case .none:
            return distorted
        case .brownConrady(let c):
            var point = distorted
            for _ in 0..<20 {
                let (x, y) = (point.x, point.y)
                let r2 = x * x + y * y
                let inverseRadial =
                    (1 + r2 * (c.k4 + r2 * (c.k5 + r2 * c.k6))) / (1 + r2 * (c.k1 + r2 * (c.k2 + r2 * c.k3)))
                let tangential = SIMD2(
                    2 * c.p1 * x * y + c.p2 * (r2 + 2 * x * x), c.p1 * (r2 + 2 * y * y) + 2 * c.p2 * x * y)
                point = (distorted - tangential) * inverseRadial
            }
            return point
        case .fisheye(let c):
            let thetaDistorted = (distorted * distorted).sum().squareRoot()
            guard thetaDistorted > 1e-8 else { return distorted }
            var theta = min(thetaDistorted, .pi / 2)
            for _ in 0..<20 {
                let t2 = theta * theta
                let value = theta * (1 + t2 * (c.k1 + t2 * (c.k2 + t2 * (c.k3 + t2 * c.k4)))) - thetaDistorted
                let slope = 1 + t2 * (3 * c.k1 + t2 * (5 * c.k2 + t2 * (7 * c.k3 + t2 * 9 * c.k4)))
                theta -= value / slope
            }
            return distorted * (tan(theta) / thetaDistorted)
        }
    }
}

extension Camera {
    /// The pixel of a point given in the camera frame (double precision), or nil when it is not beyond
    /// the near plane. The pixel may lie outside the image.
    public func pixel(ofCameraPoint point: SIMD3<Double>) -> SIMD2<Double>? {
        guard point.z > nearPlane else { return nil }
        return intrinsics.pixel(ofNormalised: distortion.distort(SIMD2(point.x, point.y) / point.z))
    }

    /// The pixel of a LiDAR-frame point, or nil when it is not in front of the camera.
    public func pixel(ofLidarPoint point: SIMD3<Double>) -> SIMD2<Double>? {
        pixel(ofCameraPoint: cameraFromLidar.apply(to: point))
    }

    /// The viewing ray through a pixel, in the camera frame, scaled so that its z is 1 (a point at
    /// depth d along it is `d · ray`).
    public func ray(throughPixel pixel: SIMD2<Double>) -> SIMD3<Double> {
        let distorted = SIMD2((pixel.x - intrinsics.cx) / intrinsics.fx, (pixel.y - intrinsics.cy) / intrinsics.fy)
        let normalised = distortion.undistort(distorted)
        return SIMD3(normalised.x, normalised.y, 1)
    }
}
