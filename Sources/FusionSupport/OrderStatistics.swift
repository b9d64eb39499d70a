/// How a quantile picks its value from `n` values sorted ascending. The engine uses four rules;
/// each is named here once, so a reader sees which one a report or a feature uses.
public enum QuantileRule: Sendable {
    /// The value at index ⌈q·n⌉ − 1, clamped to the values (the classic nearest-rank percentile,
    /// Hyndman and Fan's type 1): p99 of 100 latencies is the 99th smallest.
    case nearestRank
    /// The value at index ⌊q·n⌋, clamped to the last one. At q = 0.5 this is the upper median.
    case truncatedRank
    /// The value at index round(q·(n − 1)), ties away from zero (NumPy's `nearest`, apart from ties).
    case roundedPosition
    /// Linear interpolation at position q·(n − 1) between the values either side (NumPy's default
    /// `linear`, Hyndman and Fan's type 7).
    case linear
}

/// Medians and quantiles of values already sorted ascending (finite, not NaN).
public enum OrderStatistics {
    /// The median: the middle value, or the mean of the middle two for an even count.
    /// - Precondition: `sorted` is not empty.
    @inlinable
    public static func median<Values: RandomAccessCollection>(_ sorted: Values) -> Values.Element
    where Values.Element: BinaryFloatingPoint, Values.Index == Int {
        precondition(!sorted.isEmpty, "the median of no values")
        let middle = sorted.startIndex + sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    /// The upper median: the value at index ⌊n/2⌋, one of the values itself (never a mean of two).
    /// - Precondition: `sorted` is not empty.
    @inlinable
    public static func upperMedian<Values: RandomAccessCollection>(_ sorted: Values) -> Values.Element
    where Values.Index == Int {
        precondition(!sorted.isEmpty, "the median of no values")
        return sorted[sorted.startIndex + sorted.count / 2]
    }

    /// The `q` quantile (0...1) under `rule`.
    /// - Precondition: `sorted` is not empty.
    @inlinable
    public static func quantile<Values: RandomAccessCollection>(_ sorted: Values, _ q: Double, _ rule: QuantileRule)
        -> Values.Element
    where Values.Element: BinaryFloatingPoint, Values.Index == Int {
        precondition(!sorted.isEmpty, "a quantile of no values")
        let count = sorted.count
        let start = sorted.startIndex
        func value(at index: Int) -> Values.Element { sorted[start + min(count - 1, max(0, index))] }
        switch rule {
        case .nearestRank:
            return value(at: Int((q * Double(count)).rounded(.up)) - 1)
        case .truncatedRank:
            return value(at: Int(q * Double(count)))
        case .roundedPosition:
            return value(at: Int((q * Double(count - 1)).rounded()))
        case .linear:
            let position = q * Double(count - 1)
            let lower = Int(position.rounded(.down))
            let below = value(at: lower)
            let above = value(at: lower + 1)
            return below + (above - below) * Values.Element(position - Double(lower))
        }
    }
}
