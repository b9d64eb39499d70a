import Foundation

extension SimToRealReport {
    /// The report for people: a table per class, then the flagged boxes (at most `boxLimit`).
    public func text(boxLimit: Int = 20) -> String {
        var lines = [
            "Sim-to-real validation: \(syntheticBoxes) synthetic boxes against \(realBoxes) real boxes",
            "  verdict: " + (isFlagged ? "gaps found" : "no gap found")
        ]
        for comparison in classes {
            let score = comparison.gapScore.map { String(format: "%.2f", $0) } ?? "-"
            let verdict =
                comparison.features.isEmpty
                ? "not judged (too few boxes on a side)" : (comparison.isFlagged ? "GAP" : "ok")
            lines.append("")
            lines.append(
                "  \(comparison.objectClass.rawValue): \(comparison.syntheticCount) synthetic, \(comparison.realCount) real, "
                    + "gap score \(score): \(verdict)")
            for feature in comparison.features {
                let unit = feature.feature.unit.isEmpty ? "" : " " + feature.feature.unit
                let test = feature.kolmogorovSmirnov
                lines.append(
                    "    " + feature.feature.rawValue.padding(toLength: 15, withPad: " ", startingAt: 0)
                        + String(format: "KS %.2f (p %.3g)  W1 %.3g", test.statistic, test.pValue, feature.wasserstein)
                        + unit
                        + String(format: "  median %.3g vs %.3g", feature.syntheticMedian, feature.realMedian) + unit
                        + "  n \(feature.syntheticCount)/\(feature.realCount)" + (feature.isGap ? "  <- gap" : ""))
            }
        }
        if !flaggedBoxes.isEmpty {
            lines.append("")
            lines.append("  \(flaggedBoxes.count) synthetic boxes outside the real envelope:")
            for flag in flaggedBoxes.prefix(boxLimit) {
                lines.append(
                    "    \(flag.source) (\(flag.objectClass.rawValue)): " + flag.reasons.joined(separator: "; "))
            }
            if flaggedBoxes.count > boxLimit {
                lines.append("    ... and \(flaggedBoxes.count - boxLimit) more (--json lists all)")
            }
        }
        return lines.joined(separator: "\n")
    }
}
