/// Chooses the footprint criterion by what the returns' size says the object is, because road
/// users are not all boxes:
/// - **vehicles** show one or two flat faces: an L-shape search (`vehicle`) puts the rectangle's
///   sides on them;
/// - **bicycles** are thin and long, without faces: their returns' principal axis (`elongated`) is
///   their heading, where an L-shape search may lay a side along the rider's back;
/// - **people** are small blobs whose heading the returns barely show: the tightest rectangle at
///   least keeps the box on them (or `compact`, when set).
///
/// The size is the minimum-area rectangle's (it does not depend on a heading search): at most
/// `compactSize` metres in both extents is compact, otherwise at most `elongatedLength` long and
/// `elongatedWidth` wide is elongated, anything larger a vehicle.
public struct ShapeAwareFitting: FootprintEstimator, CustomStringConvertible {
    public var vehicle: any FootprintEstimator
    var elongated: any FootprintEstimator
    /// Nil keeps the minimum-area rectangle that measured the object.
    var compact: (any FootprintEstimator)?
    /// Metres.
    var compactSize = 1.0
    var elongatedLength = 2.2
    var elongatedWidth = 1.0

    public init(
        vehicle: any FootprintEstimator = LShapeFitting(criterion: .closeness),
        elongated: any FootprintEstimator = PrincipalAxesFitting(),
        compact: (any FootprintEstimator)? = nil
    ) {
        self.vehicle = vehicle
        self.elongated = elongated
        self.compact = compact
    }

    public var description: String {
        "shape-aware (up to \(compactSize) m: \(compact.map { "\($0)" } ?? "minimum-area rectangle"); up to \(elongatedLength) × \(elongatedWidth) m: \(elongated); larger: \(vehicle))"
    }

    public func footprint(of points: [SIMD2<Double>]) -> Footprint? {
        // A rectangle's axis-aligned bounds are at most its length plus its width on a side: wider
        // bounds are a vehicle's, without the hull.
        var low = SIMD2<Double>(repeating: .infinity)
        var high = -low
        for point in points {
            low = pointwiseMin(low, point)
            high = pointwiseMax(high, point)
        }
        guard (high - low).max() <= elongatedLength + elongatedWidth else { return vehicle.footprint(of: points) }
        guard let bounds = MinimumAreaRectangle().footprint(of: points) else { return nil }
        if bounds.length <= compactSize && bounds.width <= compactSize {
            return compact.map { $0.footprint(of: points) } ?? bounds
        }
        if bounds.length <= elongatedLength && bounds.width <= elongatedWidth {
            return elongated.footprint(of: points)
        }
        return vehicle.footprint(of: points)
    }
}
