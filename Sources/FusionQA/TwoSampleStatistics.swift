import Foundation

/// Two-sample comparisons of one-dimensional distributions.
///
/// Sim-to-real validation uses both: the Kolmogorov–Smirnov statistic as the gap *score* (it is
/// scale-free, in 0...1, so lengths in metres, point densities and occlusion levels compare on one
/// scale, and it has a significance test), and the 1-Wasserstein distance to say *how far* apart
/// the distributions are in the feature's own unit ("synthetic cars are 0.6 m too long").
enum TwoSampleStatistics {
    /// The Kolmogorov–Smirnov statistic and its asymptotic p-value.
    struct KolmogorovSmirnov: Equatable, Sendable, Codable {
        /// The largest vertical distance between the two empirical CDFs, 0...1.
        public var statistic: Double
        /// The probability of a statistic at least this large if both samples came from one
        /// continuous distribution (Kolmogorov's asymptotic law with Stephens' small-sample
        /// correction, as in Numerical Recipes' `kstwo`). Conservative for discrete features.
        var pValue: Double
    }

    /// KS test of `a` against `b`. Both must be non-empty and finite.
    /// - Complexity: O((n + m) log(n + m)).
    static func kolmogorovSmirnov(_ a: [Double], _ b: [Double]) -> KolmogorovSmirnov {
        precondition(!a.isEmpty && !b.isEmpty, "KS needs two non-empty samples")
        let first = a.sorted()
        let second = b.sorted()
        var i = 0
        var j = 0
        var statistic = 0.0
        while i < first.count, j < second.count {
            // Step past every copy of the smaller value in both samples, then compare the CDFs.
            let value = min(first[i], second[j])
            while i < first.count, first[i] == value { i += 1 }
            while j < second.count, second[j] == value { j += 1 }
            statistic = max(statistic, abs(Double(i) / Double(first.count) - Double(j) / Double(second.count)))
        }
        let effective = Double(first.count * second.count) / Double(first.count + second.count)
        let root = effective.squareRoot()
        return KolmogorovSmirnov(statistic: statistic, pValue: kolmogorovTail((root + 0.12 + 0.11 / root) * statistic))
    }

    /// `Q(λ) = 2 Σ (−1)^(k−1) exp(−2 k² λ²)`, the Kolmogorov distribution's upper tail.
    static func kolmogorovTail(_ lambda: Double) -> Double {
        if lambda < 0.2 { return 1 }
        var sum = 0.0
        var sign = 1.0
        for k in 1...100 {
            let term = sign * 2 * exp(-2 * Double(k * k) * lambda * lambda)
            sum += term
            if abs(term) < 1e-12 { break }
            sign = -sign
        }
        return min(1, max(0, sum))
    }

    /// The 1-Wasserstein (earth mover's) distance between the two empirical distributions: the
    /// area between their CDFs, in the samples' unit.
    /// - Complexity: O((n + m) log(n + m)).
    static func wasserstein1(_ a: [Double], _ b: [Double]) -> Double {
        precondition(!a.isEmpty && !b.isEmpty, "the Wasserstein distance needs two non-empty samples")
        let first = a.sorted()
        let second = b.sorted()
        var i = 0
        var j = 0
        var area = 0.0
        var previous = min(first[0], second[0])
        while i < first.count || j < second.count {
            let value = j >= second.count || (i < first.count && first[i] <= second[j]) ? first[i] : second[j]
            area += abs(Double(i) / Double(first.count) - Double(j) / Double(second.count)) * (value - previous)
            previous = value
            while i < first.count, first[i] == value { i += 1 }
            while j < second.count, second[j] == value { j += 1 }
        }
        return area
    }
}
