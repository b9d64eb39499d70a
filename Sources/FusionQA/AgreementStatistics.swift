/// Chance-corrected agreement on categorical labels.
enum AgreementStatistics {
    /// Cohen's kappa for two raters over the same items: `(pₒ − pₑ) / (1 − pₑ)`, with `pₑ` from
    /// each rater's own label frequencies. 1 when they agree everywhere; nil without items, or when
    /// both raters use one single label (agreement by chance alone is then certain).
    static func cohensKappa(_ pairs: [(String, String)]) -> Double? {
        guard !pairs.isEmpty else { return nil }
        let count = Double(pairs.count)
        let observed = Double(pairs.filter { $0.0 == $0.1 }.count) / count
        var first: [String: Double] = [:]
        var second: [String: Double] = [:]
        for (a, b) in pairs {
            first[a, default: 0] += 1
            second[b, default: 0] += 1
        }
        let expected = first.reduce(0.0) { $0 + $1.value / count * (second[$1.key] ?? 0) / count }
        guard expected < 1 else { return nil }
        return (observed - expected) / (1 - expected)
    }

    /// Krippendorff's alpha for nominal labels: `1 − Dₒ / Dₑ` from the coincidence matrix, over
    /// units with any number of raters (units with fewer than two values do not count). 1 when all
    /// raters agree; nil when there are fewer than two pairable values or a single label overall.
    static func krippendorffsAlpha(_ units: [[String]]) -> Double? {
        var coincidences: [String: [String: Double]] = [:]
        for values in units where values.count >= 2 {
            let weight = 1 / Double(values.count - 1)
            for (i, a) in values.enumerated() {
                for (j, b) in values.enumerated() where i != j {
                    coincidences[a, default: [:]][b, default: 0] += weight
                }
            }
        }
        let totals = coincidences.mapValues { $0.values.reduce(0, +) }
        let n = totals.values.reduce(0, +)
        guard n > 1, totals.count > 1 else { return nil }
        var observed = 0.0
        for (a, row) in coincidences { for (b, value) in row where a != b { observed += value } }
        var expected = 0.0
        for (a, na) in totals { for (b, nb) in totals where a != b { expected += na * nb } }
        return 1 - (observed / n) / (expected / (n * (n - 1)))
    }
}
