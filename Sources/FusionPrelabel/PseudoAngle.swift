import Foundation

/// The bearing of `(x, y)` as a pseudo-angle in [0, 4): a quarter turn per unit, increasing
/// counter-clockwise from +x. It is monotone in the angle and needs no trigonometry, so it orders
/// and bins bearings at the cost of one division; nil at the origin or for a non-finite point.
@inline(__always)
func pseudoAngle(_ x: Float, _ y: Float) -> Float? {
    let sum = abs(x) + abs(y)
    guard sum > 1e-9, sum.isFinite else { return nil }
    return y >= 0 ? (x >= 0 ? y / sum : 1 - x / sum) : (x < 0 ? 2 - y / sum : 3 + x / sum)
}

/// The pseudo-angle of the bearing `angle` (radians, any turn), in double precision.
func pseudoAngle(ofBearing angle: Double) -> Double {
    let x = cos(angle), y = sin(angle), sum = abs(x) + abs(y)
    let value = y >= 0 ? (x >= 0 ? y / sum : 1 - x / sum) : (x < 0 ? 2 - y / sum : 3 + x / sum)
    return value >= 4 ? 0 : value
}
