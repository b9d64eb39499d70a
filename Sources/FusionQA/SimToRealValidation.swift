import Foundation
import FusionSupport

/// Compares a synthetic labelled dataset with a real one, class by class, so a hybrid dataset is
/// trusted only where the synthetic part behaves like the recordings.
///
/// Per class and feature (`BoxFeature`), both samples are compared (sizes once per object,
/// the rest once per box) with the Kolmogorov–Smirnov
/// statistic (the gap score) and the 1-Wasserstein distance (how far, in the feature's unit). A
/// feature is a *gap* when the difference is both significant (p below `significance`) and large
/// (statistic at least `minimumEffect`): with thousands of boxes, trivial differences are
/// significant, and with a handful, large ones are not. A class is flagged when any feature is a
/// gap; its gap score is the largest statistic. Each synthetic box is also checked against the real
/// envelope of its class (the 0.5–99.5% quantile range, widened by `envelopeMargin` of its width),
/// and flagged with the reasons it falls outside.
public struct SimToRealValidation: Sendable {
    /// Values needed on each side to compare a feature of a class.
    var minimumSamples = 8
    public var significance = 0.01
    var minimumEffect = 0.3
    /// Real values needed for a feature's envelope.
    var minimumEnvelopeSamples = 20
    var envelopeMargin = 0.1

    public init() {}

    public func compare(synthetic: [BoxSample], real: [BoxSample]) -> SimToRealReport {
        let syntheticByClass = Dictionary(grouping: synthetic, by: \.objectClass)
        let realByClass = Dictionary(grouping: real, by: \.objectClass)
        var classes: [SimToRealReport.ClassComparison] = []
        for objectClass in ComparedClass.allCases {
            let syntheticBoxes = syntheticByClass[objectClass] ?? []
            let realBoxes = realByClass[objectClass] ?? []
            guard !syntheticBoxes.isEmpty else { continue }
            var features: [SimToRealReport.FeatureComparison] = []
            for feature in BoxFeature.allCases {
                let a = Self.values(of: feature, in: syntheticBoxes)
                let b = Self.values(of: feature, in: realBoxes)
                guard a.count >= minimumSamples, b.count >= minimumSamples else { continue }
                let test = TwoSampleStatistics.kolmogorovSmirnov(a, b)
                features.append(
                    .init(
                        feature: feature, syntheticCount: a.count, realCount: b.count, kolmogorovSmirnov: test,
                        wasserstein: TwoSampleStatistics.wasserstein1(a, b),
                        syntheticMedian: OrderStatistics.quantile(a.sorted(), 0.5, .linear),
                        realMedian: OrderStatistics.quantile(b.sorted(), 0.5, .linear),
                        isGap: test.pValue < significance && test.statistic >= minimumEffect))
            }
            classes.append(
                .init(
                    objectClass: objectClass, syntheticCount: syntheticBoxes.count, realCount: realBoxes.count,
                    features: features))
        }
        let envelopes = realEnvelopes(realByClass)
        var flagged: [SimToRealReport.BoxFlag] = []
        for box in synthetic {
            let reasons = outsideReasons(box, envelopes: envelopes[box.objectClass] ?? [:])
            if !reasons.isEmpty {
                flagged.append(.init(source: box.source, objectClass: box.objectClass, reasons: reasons))
            }
        }
        return SimToRealReport(
            syntheticBoxes: synthetic.count, realBoxes: real.count, classes: classes, flaggedBoxes: flagged)
    }

    /// Per class and feature, the widened 0.5–99.5% range of the real values.
    private func realEnvelopes(_ realByClass: [ComparedClass: [BoxSample]]) -> [ComparedClass: [BoxFeature: ClosedRange<
        Double
    >]] {
        var envelopes: [ComparedClass: [BoxFeature: ClosedRange<Double>]] = [:]
        for (objectClass, boxes) in realByClass {
            for feature in BoxFeature.allCases {
                let values = Self.values(of: feature, in: boxes).sorted()
                guard values.count >= minimumEnvelopeSamples else { continue }
                let low = OrderStatistics.quantile(values, 0.005, .linear)
                let high = OrderStatistics.quantile(values, 0.995, .linear)
                let margin = envelopeMargin * (high - low)
                envelopes[objectClass, default: [:]][feature] = (low - margin)...(high + margin)
            }
        }
        return envelopes
    }

    private func outsideReasons(_ box: BoxSample, envelopes: [BoxFeature: ClosedRange<Double>]) -> [String] {
        var reasons: [String] = []
        let name = box.objectClass.rawValue
        for feature in BoxFeature.allCases {
            guard let value = box.values[feature] else { continue }
            guard value.isFinite else {
                reasons.append("\(feature.rawValue) is not a finite number")
                continue
            }
            guard let envelope = envelopes[feature], !envelope.contains(value) else { continue }
            switch feature {
            case .pointDensity:
                let squaredRange = max(box.range, 1) * max(box.range, 1)
                let bound =
                    value > envelope.upperBound
                    ? "at most \(Self.format(exp(envelope.upperBound) / squaredRange, digits: 0))"
                    : "at least \(Self.format(exp(envelope.lowerBound) / squaredRange, digits: 0))"
                reasons.append(
                    "\(box.points ?? 0) points at \(Self.format(box.range, digits: 1)) m, where real \(name)s have \(bound)"
                )
            default:
                let unit = feature.unit.isEmpty ? "" : " " + feature.unit
                reasons.append(
                    "\(feature.rawValue) \(Self.format(value, digits: 2))\(unit) outside the real \(name) range "
                        + "\(Self.format(envelope.lowerBound, digits: 2))…\(Self.format(envelope.upperBound, digits: 2))\(unit)"
                )
            }
        }
        return reasons
    }

    /// The feature's finite values: per box, or for per-object features the first box of each object.
    static func values(of feature: BoxFeature, in boxes: [BoxSample]) -> [Double] {
        var seen: Set<String> = []
        return boxes.compactMap { box in
            if feature.isPerObject, let object = box.object, !seen.insert(object).inserted { return nil }
            return box.values[feature].flatMap { $0.isFinite ? $0 : nil }
        }
    }

    static func format(_ value: Double, digits: Int) -> String { String(format: "%.\(digits)f", value) }
}

/// The outcome of `SimToRealValidation.compare`.
public struct SimToRealReport: Codable, Sendable {
    public struct FeatureComparison: Codable, Sendable {
        public var feature: BoxFeature
        public var syntheticCount: Int
        var realCount: Int
        var kolmogorovSmirnov: TwoSampleStatistics.KolmogorovSmirnov
        /// In the feature's unit.
        var wasserstein: Double
        var syntheticMedian: Double
        var realMedian: Double
        public var isGap: Bool
    }

    public struct ClassComparison: Codable, Sendable {
        public var objectClass: ComparedClass
        public var syntheticCount: Int
        var realCount: Int
        /// The features with enough values on both sides (none when the real dataset has too
        /// few boxes of the class to judge it).
        public var features: [FeatureComparison]
        /// The largest KS statistic over the features, nil when none could be compared.
        var gapScore: Double?
        public var isFlagged: Bool

        init(objectClass: ComparedClass, syntheticCount: Int, realCount: Int, features: [FeatureComparison]) {
            self.objectClass = objectClass
            self.syntheticCount = syntheticCount
            self.realCount = realCount
            self.features = features
            gapScore = features.map(\.kolmogorovSmirnov.statistic).max()
            isFlagged = features.contains(where: \.isGap)
        }
    }

    /// A synthetic box outside the real envelope of its class.
    public struct BoxFlag: Codable, Sendable {
        public var source: String
        public var objectClass: ComparedClass
        var reasons: [String]
    }

    public var syntheticBoxes: Int
    public var realBoxes: Int
    /// Every class of the synthetic set, in `ComparedClass` order.
    public var classes: [ClassComparison]
    public var flaggedBoxes: [BoxFlag]
    /// Whether any class has a gap or any box lies outside the real envelope.
    public var isFlagged: Bool

    init(syntheticBoxes: Int, realBoxes: Int, classes: [ClassComparison], flaggedBoxes: [BoxFlag]) {
        self.syntheticBoxes = syntheticBoxes
        self.realBoxes = realBoxes
        self.classes = classes
        self.flaggedBoxes = flaggedBoxes
        isFlagged = classes.contains(where: \.isFlagged) || !flaggedBoxes.isEmpty
    }
}
