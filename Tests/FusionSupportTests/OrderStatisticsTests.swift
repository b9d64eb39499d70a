import FusionSupport
import Testing

/// Each quantile rule against values NumPy 1.24 gives for the same rule (`np.quantile(values, q,
/// method=...)`), and the medians against their definitions.
struct OrderStatisticsTests {
    static let seven: [Double] = [1, 2, 4, 8, 16, 32, 64]
    static let fractions = [0, 0.1, 0.25, 0.5, 0.9, 0.99, 1]

    @Test func nearestRankIsNumPysInvertedCDF() {
        #expect(
            Self.fractions.map { OrderStatistics.quantile(Self.seven, $0, .nearestRank) } == [1, 1, 2, 8, 64, 64, 64])
        // Four of eight values: the 25th percentile is the second smallest, not the third.
        #expect(OrderStatistics.quantile([1, 2, 4, 8, 16, 32, 64, 128] as [Double], 0.25, .nearestRank) == 2)
    }

    @Test func truncatedRankTakesTheIndexBelowFractionTimesCount() {
        #expect(
            Self.fractions.map { OrderStatistics.quantile(Self.seven, $0, .truncatedRank) } == [1, 1, 2, 8, 64, 64, 64])
        #expect(OrderStatistics.quantile([1, 2, 4, 8, 16, 32, 64, 128] as [Double], 0.25, .truncatedRank) == 4)
        #expect(
            OrderStatistics.quantile([1, 2, 4, 8, 16, 32, 64, 128] as [Double], 0.5, .truncatedRank)
                == OrderStatistics.upperMedian([1, 2, 4, 8, 16, 32, 64, 128] as [Double]))
    }

    @Test func roundedPositionIsNumPysNearest() {
        #expect(
            Self.fractions.map { OrderStatistics.quantile(Self.seven, $0, .roundedPosition) } == [
                1, 2, 4, 8, 32, 64, 64
            ])
    }

    @Test func linearIsNumPysDefault() {
        let expected = [1, 1.6, 3, 8, 44.8, 62.08, 64]
        for (fraction, value) in zip(Self.fractions, expected) {
            #expect(abs(OrderStatistics.quantile(Self.seven, fraction, .linear) - value) < 1e-12)
        }
    }

    @Test func mediansOfOddAndEvenCounts() {
        #expect(OrderStatistics.median(Self.seven) == 8)
        #expect(OrderStatistics.median([1, 2, 4, 8] as [Double]) == 3)
        #expect(OrderStatistics.upperMedian([1, 2, 4, 8] as [Double]) == 4)
        #expect(OrderStatistics.median([5] as [Float]) == 5)
    }

    @Test func slicesCountFromTheirOwnStart() {
        let tail = Self.seven[2...]  // 4, 8, 16, 32, 64
        #expect(OrderStatistics.median(tail) == 16)
        #expect(OrderStatistics.upperMedian(tail) == 16)
        #expect(OrderStatistics.quantile(tail, 0.25, .nearestRank) == 8)
        #expect(OrderStatistics.quantile(tail, 1, .linear) == 64)
    }
}
