import Foundation
import FusionIO

/// The quality report of a batch of labels: review states, rule findings, flags, agreement,
/// first-pass accuracy, what the data covers (class balance, range and occlusion, so bias shows),
/// and drift from a reference set.
public struct QAReport: Codable, Sendable {
    public var scene: String
    public var guidelineVersion: String
    public var labels: Int
    /// By state, when a review board is known.
    public var states: [String: Int]?
    public var findingsByRule: [String: Int]
    public var findings: [Finding]
    /// By flag.
    public var flags: [String: Int]
    public var classBalance: [String: Int]
    /// Per class, labels whose centre is within 0–10, 10–20, 20–40, 40–60 and beyond 60 m.
    var rangeCoverage: [String: [Int]]
    /// Per class, labels at KITTI occlusion levels 0, 1, 2, when known.
    var occlusionCoverage: [String: [Int]]?
    public var agreement: AnnotatorAgreement.Summary?
    /// By annotator (`annotator <name>`), class (`class <name>`) and scene (`scene <name>`), when
    /// a review board is known.
    public var firstPassAccuracy: [String: Double]?
    /// The batch against a reference set, by the sim-to-real statistics.
    public var drift: SimToRealReport?

    static let rangeEdges = [10.0, 20, 40, 60]

    /// Counts what the report shows about the labels; the optional parts are set by the caller.
    public init(
        scene: String, guidelineVersion: String,
        labels: [(objectClass: String, range: Double, occlusionLevel: Int?, flags: Set<AmbiguityFlag>)],
        findings: [Finding]
    ) {
        self.scene = scene
        self.guidelineVersion = guidelineVersion
        self.labels = labels.count
        self.findings = findings
        findingsByRule = Dictionary(findings.map { ($0.rule.rawValue, 1) }, uniquingKeysWith: +)
        flags = Dictionary(labels.flatMap(\.flags).map { ($0.rawValue, 1) }, uniquingKeysWith: +)
        classBalance = Dictionary(labels.map { ($0.objectClass, 1) }, uniquingKeysWith: +)
        var ranges: [String: [Int]] = [:]
        var occlusions: [String: [Int]] = [:]
        for label in labels {
            let bin = Self.rangeEdges.firstIndex { label.range < $0 } ?? Self.rangeEdges.count
            ranges[label.objectClass, default: [Int](repeating: 0, count: Self.rangeEdges.count + 1)][bin] += 1
            if let level = label.occlusionLevel {
                occlusions[label.objectClass, default: [0, 0, 0]][min(max(level, 0), 2)] += 1
            }
        }
        rangeCoverage = ranges
        occlusionCoverage = occlusions.isEmpty ? nil : occlusions
    }

    /// Reads a report as `fusionlabel qa` and `annotate` write it (`qa-report.json`).
    /// - Throws: `ReadError` naming the JSON path of what is malformed.
    public static func read(contentsOf path: String) throws(ReadError) -> QAReport {
        try parse(try FileAccess.contents(of: path), file: path)
    }

    /// Decodes a report from JSON bytes; `file` names them in errors.
    /// - Throws: `ReadError` naming the JSON path of what is malformed.
    public static func parse(_ data: Data, file: String = "<memory>") throws(ReadError) -> QAReport {
        try JSONFile.decode(QAReport.self, from: data, file: file)
    }

    /// The report for people, in Markdown.
    public func markdown(findingLimit: Int = 30) -> String {
        var lines = ["# Quality report: \(scene)", "", "Guideline \(guidelineVersion); \(labels) labels.", ""]
        if let states {
            lines += ["## Review states", "", "| state | labels |", "|---|---|"]
            lines += states.sorted { $0.key < $1.key }.map { "| \($0.key) | \($0.value) |" }
            lines.append("")
        }
        lines += ["## Findings", ""]
        if findings.isEmpty {
            lines.append("No rule is broken.")
        } else {
            lines +=
                ["| rule | findings |", "|---|---|"]
                + findingsByRule.sorted { $0.key < $1.key }.map { "| \($0.key) | \($0.value) |" } + [""]
            for finding in findings.sorted(by: { ($1.severity, $0.frame) < ($0.severity, $1.frame) }).prefix(
                findingLimit)
            {
                lines.append(
                    "- **\(finding.severity.rawValue)** `\(finding.rule.rawValue)` frame \(finding.frame), \(finding.labelID): \(finding.message)"
                )
            }
            if findings.count > findingLimit {
                lines.append("- … and \(findings.count - findingLimit) more (see the JSON report)")
            }
        }
        lines += ["", "## Flags (requests for a second look)", ""]
        lines += flags.isEmpty ? ["None."] : flags.sorted { $0.key < $1.key }.map { "- \($0.key): \($0.value)" }
        lines += [
            "", "## Coverage", "",
            "| class | labels | 0–10 m | 10–20 m | 20–40 m | 40–60 m | > 60 m |"
                + (occlusionCoverage == nil ? "" : " visible | partly occluded | largely occluded |"),
            "|---|---|---|---|---|---|---|" + (occlusionCoverage == nil ? "" : "---|---|---|")
        ]
        for (objectClass, count) in classBalance.sorted(by: { $0.key < $1.key }) {
            let ranges = (rangeCoverage[objectClass] ?? []).map(String.init).joined(separator: " | ")
            let occlusion =
                occlusionCoverage.map {
                    " " + ($0[objectClass] ?? [0, 0, 0]).map(String.init).joined(separator: " | ") + " |"
                } ?? ""
            lines.append("| \(objectClass) | \(count) | \(ranges) |" + occlusion)
        }
        if let agreement {
            lines += [
                "", "## Agreement", "",
                String(
                    format: "F1 %.3f; mean 3D IoU %.3f; centre error %.3f m; yaw error %.2f°", agreement.f1,
                    agreement.meanIoU3D,
                    agreement.meanCenterError, agreement.meanYawError)
            ]
        }
        if let firstPassAccuracy {
            lines +=
                ["", "## First-pass accuracy", ""]
                + firstPassAccuracy.sorted { $0.key < $1.key }.map {
                    String(format: "- %@: %.1f %%", $0.key, 100 * $0.value)
                }
        }
        if let drift {
            lines += ["", "## Drift from the reference set", "", "```", drift.text(boxLimit: 10), "```"]
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
