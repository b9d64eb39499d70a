import Foundation
import FusionGeometry
import FusionIO

/// What pre-labelling believes about each class: how common it is, how big its labelled boxes
/// are, and how annotators correct the boxes it fits. Starts from KITTI's label statistics, learns
/// from every human-corrected box (`learn(from:)`), and is saved as JSON between sessions.
public struct PriorModel: Codable, Sendable, Equatable {
    /// One class's beliefs. Sizes are running statistics over `count` boxes; the starting values
    /// count as `PriorModel.startingWeight` boxes, so a few corrections move them, not replace them.
    public struct ClassPrior: Codable, Sendable, Equatable {
        /// Boxes seen (starting pseudo-count included).
        public var count: Double
        /// Mean labelled size, metres.
        public var meanSize: Size3
        /// Sum of squared deviations from the mean (Welford), m².
        var squaredDeviations: Size3
        /// Corrections learned from, and their mean `corrected − fitted` size, metres: the fitter
        /// sees surfaces, annotators draw the whole object.
        var correctionCount: Double
        var sizeCorrection: Size3
        /// How big a dataset draws an object the sensor saw only part of (KITTI draws a far person
        /// at its class's mean size, SUSTech POINTS as tight as its returns). Nil until learned; a
        /// pedestrian's box grows to at least this size once it is (see `CuboidFitter`).
        public var partialViews: PartialViews?

        /// Boxes kept for partial views: how many, and their mean size, metres (footprint's
        /// longer side as length).
        public struct PartialViews: Codable, Sendable, Equatable {
            public var count: Double
            public var meanSize: Size3
        }

        public init(count: Double, meanSize: Size3, sizeDeviation: Size3) {
            self.count = count
            self.meanSize = meanSize
            squaredDeviations = Size3(
                length: sizeDeviation.length * sizeDeviation.length * count,
                width: sizeDeviation.width * sizeDeviation.width * count,
                height: sizeDeviation.height * sizeDeviation.height * count)
            correctionCount = 0
            sizeCorrection = Size3(length: 0, width: 0, height: 0)
        }

        /// A labelled extent counts at most this many spreads from the mean (a winsorised update;
        /// the spread is the standard deviation with 15 cm added in quadrature, as the class
        /// likelihoods take it, so a class whose boxes were all alike still learns): one odd box
        /// (a tricycle labelled as a cyclist) moves the statistics a little, a dataset whose boxes
        /// really differ moves them box by box.
        static let outlierSpreads = 2.5

        /// Standard deviation of the labelled sizes, metres.
        public var sizeDeviation: Size3 {
            Size3(
                length: (squaredDeviations.length / count).squareRoot(),
                width: (squaredDeviations.width / count).squareRoot(),
                height: (squaredDeviations.height / count).squareRoot())
        }

        /// `size` held within `outlierSpreads` of the mean.
        func winsorised(_ size: Size3) -> SIMD3<Double> {
            let mean = SIMD3(meanSize.length, meanSize.width, meanSize.height)
            let deviation = SIMD3(sizeDeviation.length, sizeDeviation.width, sizeDeviation.height)
            let spread = (deviation * deviation + 0.15 * 0.15).squareRoot() * Self.outlierSpreads
            return SIMD3(size.length, size.width, size.height).clamped(
                lowerBound: mean - spread, upperBound: mean + spread)
        }

        mutating func addLabelledSize(_ size: Size3) {
            let old = SIMD3(meanSize.length, meanSize.width, meanSize.height)
            let new = winsorised(size)
            count += 1
            let mean = old + (new - old) / count
            let squares =
                SIMD3(squaredDeviations.length, squaredDeviations.width, squaredDeviations.height) + (new - old)
                * (new - mean)
            meanSize = Size3(length: mean.x, width: mean.y, height: mean.z)
            squaredDeviations = Size3(length: squares.x, width: squares.y, height: squares.z)
        }

        /// Adds a kept box whose fit showed only part of it; its footprint's longer side counts as
        /// its length (people are drawn either way round).
        mutating func addPartialView(kept: Size3) {
            let footprint = Size3(
                length: max(kept.length, kept.width), width: min(kept.length, kept.width), height: kept.height)
            let count = (partialViews?.count ?? 0) + 1
            let new = winsorised(footprint)
            let old = partialViews.map { SIMD3($0.meanSize.length, $0.meanSize.width, $0.meanSize.height) } ?? new
            let mean = old + (new - old) / count
            partialViews = PartialViews(count: count, meanSize: Size3(length: mean.x, width: mean.y, height: mean.z))
        }

        mutating func addCorrection(fitted: Size3, corrected: Size3) {
            correctionCount += 1
            let step = 1 / correctionCount
            sizeCorrection = Size3(
                length: sizeCorrection.length + (corrected.length - fitted.length - sizeCorrection.length) * step,
                width: sizeCorrection.width + (corrected.width - fitted.width - sizeCorrection.width) * step,
                height: sizeCorrection.height + (corrected.height - fitted.height - sizeCorrection.height) * step)
        }
    }

    /// Bump when the meaning of a field changes.
    public var version = 1
    public var classes: [PrelabelClass: ClassPrior]
    /// Likelihood density (per m³ of length × width × height) of a road user no class explains,
    /// and the share of such objects.
    var otherDensity = 0.02
    var otherShare = 0.05

    /// How many boxes the starting statistics count as.
    static let startingWeight = 50.0

    /// KITTI's label statistics (cars, vans and trucks, pedestrians, cyclists) and typical city
    /// buses, with KITTI's class shares.
    public static let standard = PriorModel(classes: [
        .car: ClassPrior(
            count: startingWeight * 0.60, meanSize: Size3(length: 3.88, width: 1.63, height: 1.53),
            sizeDeviation: Size3(length: 0.43, width: 0.10, height: 0.14)),
        .vanTruck: ClassPrior(
            count: startingWeight * 0.10, meanSize: Size3(length: 5.8, width: 2.05, height: 2.4),
            sizeDeviation: Size3(length: 1.6, width: 0.28, height: 0.5)),
        .bus: ClassPrior(
            count: startingWeight * 0.03, meanSize: Size3(length: 11.0, width: 2.6, height: 3.2),
            sizeDeviation: Size3(length: 1.5, width: 0.15, height: 0.3)),
        .pedestrian: ClassPrior(
            count: startingWeight * 0.17, meanSize: Size3(length: 0.84, width: 0.66, height: 1.76),
            sizeDeviation: Size3(length: 0.23, width: 0.14, height: 0.11)),
        .cyclist: ClassPrior(
            count: startingWeight * 0.07, meanSize: Size3(length: 1.76, width: 0.60, height: 1.74),
            sizeDeviation: Size3(length: 0.18, width: 0.12, height: 0.09))
    ])

    public init(classes: [PrelabelClass: ClassPrior]) {
        self.classes = classes
    }

    /// Per class, the probability that an object whose fitted box measures `observed`, with
    /// `seenSides` of its footprint seen (see `CuboidFitter.Fit`), belongs to it (summing to 1
    /// over the classes and `.other`).
    ///
    /// A fitted box lies inside the labelled one (returns come from surfaces; sparse rows miss the
    /// top), so each extent is judged by a Gaussian that is wider below the class's mean than
    /// above it. With fewer than two sides seen, length and width are only lower bounds (the face
    /// seen may be a car's back or its side) and an extent below the mean costs little,
    /// `exp(−shortfall / mean)`.
    public func classProbabilities(observed: Size3, seenSides: Int) -> [PrelabelClass: Double] {
        // Fixed class order throughout: a dictionary's order changes between processes, and sums in
        // another order differ in the last bit.
        let known = PrelabelClass.allCases.compactMap { kind in classes[kind].map { (kind, $0) } }
        let total = known.reduce(0) { $0 + $1.1.count }
        var scores: [PrelabelClass: Double] = [:]
        for (kind, prior) in known {
            let mean = prior.meanSize
            let deviation = prior.sizeDeviation
            func observedExtent(_ value: Double, _ mean: Double, _ deviation: Double, belowSpread: Double) -> Double {
                let above = (deviation * deviation + 0.15 * 0.15).squareRoot()
                let below = above + belowSpread
                let z = value > mean ? (value - mean) / above : (mean - value) / below
                return exp(-z * z / 2) / above
            }
            func lowerBound(_ value: Double, _ mean: Double, _ deviation: Double) -> Double {
                value > mean
                    ? observedExtent(value, mean, deviation, belowSpread: 0)
                    : exp(-(mean - value) / mean) / (deviation * deviation + 0.15 * 0.15).squareRoot()
            }
            let footprint =
                seenSides >= 2
                ? observedExtent(observed.length, mean.length, deviation.length, belowSpread: 0.1 * mean.length)
                    * observedExtent(observed.width, mean.width, deviation.width, belowSpread: 0.1 * mean.width)
                : lowerBound(observed.length, mean.length, deviation.length)
                    * lowerBound(observed.width, mean.width, deviation.width)
            let likelihood =
                footprint * observedExtent(observed.height, mean.height, deviation.height, belowSpread: 0.25)
            scores[kind] = likelihood * prior.count / total
        }
        scores[.other] = otherDensity * otherShare
        let sum = PrelabelClass.allCases.reduce(0) { $0 + (scores[$1] ?? 0) }
        guard sum > 0 else { return [.other: 1] }
        return scores.mapValues { $0 / sum }
    }

    /// A box an annotator corrected: the class they gave it, the box the engine fitted (nil
    /// when they drew it from nothing), and the box they kept.
    public struct Correction: Sendable {
        public var kind: PrelabelClass
        public var fitted: Cuboid?
        public var corrected: Cuboid

        public init(kind: PrelabelClass, fitted: Cuboid?, corrected: Cuboid) {
            self.kind = kind
            self.fitted = fitted
            self.corrected = corrected
        }
    }

    /// Takes in corrected boxes: each adds its size to its class's statistics (winsorised, see
    /// `ClassPrior.outlierSpreads`) and, when it started from a fitted box that showed the whole
    /// object and no more (every extent between three quarters and five quarters of the kept one)
    /// and changed by at most a metre per extent, its size correction; when the fitted box showed
    /// only part of it (its length or width under three quarters of the kept one), its size to the
    /// class's partial views.
    public mutating func learn(from corrections: [Correction]) {
        for correction in corrections where correction.kind != .other && correction.corrected.size.isValid {
            // A class met for the first time starts from its first box, with a wide spread.
            var prior =
                classes[correction.kind]
                ?? ClassPrior(
                    count: 1, meanSize: correction.corrected.size,
                    sizeDeviation: Size3(length: 0.5, width: 0.3, height: 0.3))
            if let fitted = correction.fitted {
                // A partial view (an extent under three quarters of the kept one: completion handles
                // those) or a merged cluster (an extent over a quarter beyond the kept one, or a
                // change of more than a metre) is not a bias to learn.
                let size = fitted.size
                let corrected = correction.corrected.size
                func isBias(_ fitted: Double, _ kept: Double) -> Bool {
                    fitted >= 0.75 * kept && fitted <= 1.25 * kept && abs(kept - fitted) <= 1
                }
                if isBias(size.length, corrected.length) && isBias(size.width, corrected.width)
                    && isBias(size.height, corrected.height)
                {
                    prior.addCorrection(fitted: size, corrected: corrected)
                }
                if size.length < 0.75 * corrected.length || size.width < 0.75 * corrected.width {
                    prior.addPartialView(kept: corrected)
                }
            }
            prior.addLabelledSize(correction.corrected.size)
            classes[correction.kind] = prior
        }
    }
}

extension PriorModel {
    /// Reads a prior model saved by `write(to:)`.
    /// - Throws: `ReadError` for unreadable JSON, or a class whose statistics are not positive and finite.
    public static func read(contentsOf path: String) throws(ReadError) -> PriorModel {
        try parse(try FileAccess.contents(of: path), file: path)
    }

    /// Decodes a prior model from the bytes of a file written by `write(to:)`; `file` names it in errors.
    /// - Throws: `ReadError` for unreadable JSON, or a class whose statistics are not positive and finite.
    public static func parse(_ data: Data, file path: String = "<memory>") throws(ReadError) -> PriorModel {
        let model = try JSONFile.decode(PriorModel.self, from: data, file: path)
        for (kind, prior) in model.classes {
            let values = [
                prior.count, prior.meanSize.length, prior.meanSize.width, prior.meanSize.height,
                prior.squaredDeviations.length,
                prior.squaredDeviations.width, prior.squaredDeviations.height, prior.correctionCount
            ]
            guard values.allSatisfy({ $0.isFinite && $0 >= 0 }), prior.count > 0, prior.meanSize.isValid,
                [prior.sizeCorrection.length, prior.sizeCorrection.width, prior.sizeCorrection.height].allSatisfy(
                    \.isFinite),
                prior.partialViews.map({ $0.count.isFinite && $0.count > 0 && $0.meanSize.isValid }) ?? true
            else {
                throw ReadError(
                    file: path, location: .jsonPath("classes.\(kind.rawValue)"),
                    message: "expected positive, finite counts and sizes")
            }
        }
        guard model.otherDensity.isFinite, model.otherDensity >= 0, model.otherShare.isFinite, model.otherShare >= 0
        else {
            throw ReadError(
                file: path, location: .jsonPath("otherDensity"),
                message: "expected a finite, non-negative density and share")
        }
        return model
    }

    /// Saves the model as key-sorted JSON, atomically (a temporary file renamed over `path`).
    public func write(to path: String) throws(WriteError) {
        try FileAccess.writeAtomically(try JSONFile.encode(self, file: path), to: path)
    }
}
