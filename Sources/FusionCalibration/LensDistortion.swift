import Foundation

/// How a lens bends rays, in OpenCV's conventions, applied to normalised coordinates (x = X/Z, y = Y/Z).
public enum LensDistortion: Hashable, Sendable {
    /// An ideal pinhole.
    case none
    /// Brown-Conrady radial and tangential distortion (`cv::projectPoints`); with any of k4-k6 non-zero
    /// it is OpenCV's rational model.
    case brownConrady(BrownConradyCoefficients)
    /// OpenCV's fisheye model (`cv::fisheye`): equidistant projection with an odd polynomial in the
    /// angle from the optical axis.
    case fisheye(FisheyeCoefficients)

    /// The coefficients in OpenCV's order: k1 k2 p1 p2 k3 [k4 k5 k6] for Brown-Conrady (8 only when
    /// rational), k1 k2 k3 k4 for fisheye, none for `.none`.
    public var openCVCoefficients: [Double] {
        switch self {
        case .none: return []
        case .brownConrady(let c):
            let base = [c.k1, c.k2, c.p1, c.p2, c.k3]
            return c.isRational ? base + [c.k4, c.k5, c.k6] : base
        case .fisheye(let c): return [c.k1, c.k2, c.k3, c.k4]
        }
    }

    /// Reads OpenCV's coefficient list for a pinhole lens: 0, 4, 5 or 8 values (k1 k2 p1 p2 [k3 [k4 k5 k6]]).
    /// Returns nil for other counts (OpenCV's thin-prism and tilt terms are not modelled) or non-finite values.
    public init?(openCVPinholeCoefficients values: [Double]) {
        guard values.allSatisfy(\.isFinite) else { return nil }
        func value(_ index: Int) -> Double { index < values.count ? values[index] : 0 }
        switch values.count {
        case 0: self = .none
        case 4, 5, 8:
            let coefficients = BrownConradyCoefficients(
                k1: value(0), k2: value(1), p1: value(2), p2: value(3), k3: value(4),
                k4: value(5), k5: value(6), k6: value(7))
            self = coefficients.isZero ? .none : .brownConrady(coefficients)
        default: return nil
        }
    }

    /// The largest radius (in normalised coordinates, tan of the angle off axis) inside which the
    /// model is valid: beyond it a polynomial lens model folds back and sends far-off-axis points
    /// into the image. Projection marks points beyond it as outside the field of view.
    /// - Complexity: O(1) (a fixed scan of the radial function), computed once per camera.
    var validRadius: Double {
        switch self {
        case .none: return .infinity
        case .brownConrady(let c):
            // The distorted radius r·radial(r) must keep growing with r.
            let turn = Self.firstTurningPoint(upTo: 20) { r in
                let r2 = r * r
                let radial = (1 + r2 * (c.k1 + r2 * (c.k2 + r2 * c.k3))) / (1 + r2 * (c.k4 + r2 * (c.k5 + r2 * c.k6)))
                return r * radial
            }
            return turn ?? .infinity
        case .fisheye(let c):
            // θd(θ) must keep growing up to 90° off axis; beyond that no point is in view anyway.
            let turn = Self.firstTurningPoint(upTo: .pi / 2) { theta in
                let t2 = theta * theta
                return theta * (1 + t2 * (c.k1 + t2 * (c.k2 + t2 * (c.k3 + t2 * c.k4))))
            }
            return tan(min(turn ?? .pi / 2, .pi / 2 - 1e-6))
        }
    }

    /// The first argument of a fine scan over `0...end` where `function` stops increasing, or nil.
    private static func firstTurningPoint(upTo end: Double, _ function: (Double) -> Double) -> Double? {
        let steps = 20_000
        var previous = function(0)
        for step in 1...steps {
            let value = function(end * Double(step) / Double(steps))
            guard value > previous, value.isFinite else { return end * Double(step - 1) / Double(steps) }
            previous = value
        }
        return nil
    }
}

/// Brown-Conrady coefficients, OpenCV's names: radial k1 k2 k3 (numerator) and k4 k5 k6 (denominator of
/// the rational model), tangential p1 p2.
public struct BrownConradyCoefficients: Hashable, Sendable {
    public var k1, k2, p1, p2, k3: Double
    var k4, k5, k6: Double

    public init(
        k1: Double, k2: Double, p1: Double, p2: Double, k3: Double = 0, k4: Double = 0, k5: Double = 0, k6: Double = 0
    ) {
        (self.k1, self.k2, self.p1, self.p2, self.k3) = (k1, k2, p1, p2, k3)
        (self.k4, self.k5, self.k6) = (k4, k5, k6)
    }

    /// Whether the rational denominator is in use.
    var isRational: Bool { k4 != 0 || k5 != 0 || k6 != 0 }
    var isZero: Bool { [k1, k2, p1, p2, k3, k4, k5, k6].allSatisfy { $0 == 0 } }
}

/// OpenCV fisheye coefficients: θd = θ (1 + k1 θ² + k2 θ⁴ + k3 θ⁶ + k4 θ⁸).
public struct FisheyeCoefficients: Hashable, Sendable {
    public var k1, k2, k3, k4: Double

    public init(k1: Double, k2: Double, k3: Double, k4: Double) {
        (self.k1, self.k2, self.k3, self.k4) = (k1, k2, k3, k4)
    }
}

extension LensDistortion {
    /// Whether this is OpenCV's fisheye model (projected by `cv::fisheye`, not `cv::projectPoints`).
    public var isFisheye: Bool {
        if case .fisheye = self { return true }
        return false
    }
}
