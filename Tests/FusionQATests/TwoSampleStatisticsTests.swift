import Testing

@testable import FusionQA

/// Reference values from SciPy 1.17 on the same samples:
/// `scipy.stats.ks_2samp(a, b).statistic`, `scipy.stats.wasserstein_distance(a, b)`, and for the
/// p-value `scipy.stats.kstwobign.sf((√ne + 0.12 + 0.11/√ne) · D)` with `ne = nm / (n + m)`.
@Suite struct TwoSampleStatisticsTests {
    static let a = [1.2, 3.4, 2.2, 5.0, 4.4, 2.9, 3.3, 0.7]
    static let b = [2.5, 6.1, 3.9, 4.8, 5.5, 7.2, 3.1, 4.0, 6.6, 5.9]

    @Test func kolmogorovSmirnovMatchesSciPy() {
        let test = TwoSampleStatistics.kolmogorovSmirnov(Self.a, Self.b)
        #expect(abs(test.statistic - 0.55) < 1e-12)
        #expect(abs(test.pValue - 0.08603809479841905) < 1e-9)
        // Ties across the samples (discrete values) are stepped over together.
        #expect(
            abs(
                TwoSampleStatistics.kolmogorovSmirnov([1, 1, 2, 2, 2, 3], [2, 3, 3, 3, 4]).statistic
                    - 0.6333333333333333) < 1e-12)
    }

    @Test func wassersteinMatchesSciPy() {
        #expect(abs(TwoSampleStatistics.wasserstein1(Self.a, Self.b) - 2.0725000000000002) < 1e-12)
        #expect(abs(TwoSampleStatistics.wasserstein1([1, 1, 2, 2, 2, 3], [2, 3, 3, 3, 4]) - 1.1666666666666665) < 1e-12)
    }

    @Test func identicalSamplesHaveNoDistanceAndShiftedOnesTheShift() {
        #expect(TwoSampleStatistics.kolmogorovSmirnov(Self.a, Self.a).statistic == 0)
        #expect(TwoSampleStatistics.kolmogorovSmirnov(Self.a, Self.a).pValue == 1)
        #expect(abs(TwoSampleStatistics.wasserstein1(Self.a, Self.a.map { $0 + 0.75 }) - 0.75) < 1e-12)
        #expect(TwoSampleStatistics.kolmogorovSmirnov(Self.a, Self.a.map { $0 + 100 }).statistic == 1)
        #expect(
            TwoSampleStatistics.kolmogorovSmirnov([0, 1], [0, 1]).statistic
                == TwoSampleStatistics.kolmogorovSmirnov([0, 1], [1, 0]).statistic)
    }
}
