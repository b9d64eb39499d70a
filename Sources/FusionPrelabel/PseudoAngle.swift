/// The bearing of `(x, y)` as a pseudo-angle in [0, 4): a quarter turn per unit, increasing
/// counter-clockwise from +x. It is monotone in the angle and needs no trigonometry, so it orders
/// and bins bearings at the cost of one division; nil at the origin or for a non-finite point.
/// (Rounding may give 4 for a bearing a hair below +x.)
@inline(__always)
func pseudoAngle<Value: BinaryFloatingPoint>(_ x: Value, _ y: Value) -> Value? {
    let sum = abs(x) + abs(y)
    guard sum > 1e-9, sum.isFinite else { return nil }
    return y >= 0 ? (x >= 0 ? y / sum : 1 - x / sum) : (x < 0 ? 2 - y / sum : 3 + x / sum)
}

/// A direction (not of unit length) whose pseudo-angle is `value`, in [0, 4).
func direction(ofPseudoAngle value: Double) -> SIMD2<Double> {
    let quarter = Int(value)
    let part = value - Double(quarter)
    // Within a quarter the pseudo-angle is the share of the second axis in |x| + |y|.
    let local = SIMD2(1 - part, part)
    switch quarter {
    case 0: return local
    case 1: return SIMD2(-local.y, local.x)
    case 2: return -local
    default: return SIMD2(local.y, -local.x)
    }
}
