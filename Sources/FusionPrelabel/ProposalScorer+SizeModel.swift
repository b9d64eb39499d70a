import Foundation
import FusionGeometry
import FusionIO

extension ProposalScorer {
    /// Regression trees that predict, from a candidate's features, how big its group's labelled
    /// box is (length, width, height): how the dataset it learned from draws objects it saw in
    /// part. A kept proposal is completed to that size instead of the size priors' mean, by the
    /// same rules (`CuboidFitter.completed`). Labelling conventions differ between datasets (KITTI
    /// draws cars and people tight, Argoverse 2 and PandaSet bigger, SUSTech POINTS far people as
    /// tight as their returns), so a size model is for a team training on its own labels
    /// (`train-scorer --learn-sizes`); the built-in scorer has none.
    ///
    /// One tree per round and size, each predicting the difference from the fit's own extents
    /// (its longer and shorter footprint side and its height), fitted to the pseudo-Huber loss so
    /// that a few mislabelled boxes do not pull every prediction.
    public struct SizeModel: Codable, Sendable, Equatable {
        /// Starting difference per extent (its weighted median over the training boxes), metres.
        public var baseValues: [Double]
        /// `trees[round][extent]`, extents in the order length, width, height.
        public var trees: [[Tree]]

        /// The predicted labelled size for a fit and its candidate's features (length ≥ width).
        public func size(of fit: Cuboid, features: ProposalFeatures) -> Size3 {
            var values = Self.extents(of: fit.size)
            for (index, base) in baseValues.enumerated() { values[index] += base }
            for round in trees {
                for (index, tree) in round.enumerated() { values[index] += tree.value(features.values) }
            }
            let length = max(0.05, values[0])
            let width = max(0.05, values[1])
            return Size3(length: max(length, width), width: min(length, width), height: max(0.05, values[2]))
        }

        static func extents(of size: Size3) -> [Double] { [size.length, size.width, size.height] }
    }
}

// MARK: - Training

extension ProposalScorer {
    /// Metres: residuals beyond it count linearly in the pseudo-Huber loss.
    static let sizeLossScale = 0.5
    /// The fewest labelled boxes of a group that train its size model.
    static let minimumSizeExamples = 20

    /// Size models for each group with at least `minimumSizeExamples` labelled boxes among
    /// `examples`, `parameters.sizeRounds` rounds each.
    static func trainSizeModels(_ examples: [Example], parameters: TrainingParameters) -> [ObjectCategory.Group:
        SizeModel]
    {
        guard let rounds = parameters.sizeRounds, rounds > 0 else { return [:] }
        var models: [ObjectCategory.Group: SizeModel] = [:]
        for group in ObjectCategory.Group.allCases {
            let sized = examples.filter { $0.outcome.group == group && $0.labelSize != nil && $0.fitSize != nil }
            guard sized.count >= minimumSizeExamples else { continue }
            var model = SizeModel(
                baseValues: (0..<3).map { extent in
                    weightedMedian(
                        sized.map {
                            (
                                SizeModel.extents(of: $0.labelSize!)[extent]
                                    - SizeModel.extents(of: $0.fitSize!)[extent], $0.weight
                            )
                        })
                }, trees: [])
            model.boost(sized, rounds: rounds, parameters: parameters)
            models[group] = model
        }
        return models
    }

    /// The value below which half the weight lies.
    static func weightedMedian(_ values: [(value: Double, weight: Double)]) -> Double {
        let sorted = values.sorted { $0.value < $1.value }
        let half = sorted.reduce(0) { $0 + $1.weight } / 2
        var sum = 0.0
        for entry in sorted {
            sum += entry.weight
            if sum >= half { return entry.value }
        }
        return sorted.last?.value ?? 0
    }
}

extension ProposalScorer.SizeModel {
    /// Adds `rounds` rounds of trees fitted to the pseudo-Huber loss's gradients on `examples`
    /// (each with its `labelSize` and `fitSize`).
    mutating func boost(
        _ examples: [ProposalScorer.Example], rounds: Int, parameters: ProposalScorer.TrainingParameters
    ) {
        let binned = BinnedFeatures(
            examples.map(\.features.values), featureCount: ProposalFeature.allCases.count, bins: parameters.bins)
        let targets = examples.map { example in
            zip(Self.extents(of: example.labelSize!), Self.extents(of: example.fitSize!)).map { $0 - $1 }
        }
        var predictions = examples.map { example in
            var values = baseValues
            for round in trees {
                for (index, tree) in round.enumerated() { values[index] += tree.value(example.features.values) }
            }
            return values
        }
        let scale = ProposalScorer.sizeLossScale
        for _ in 0..<rounds {
            var round: [ProposalScorer.Tree] = []
            for extent in baseValues.indices {
                var gradients = [Double](repeating: 0, count: examples.count)
                var hessians = gradients
                for (index, example) in examples.enumerated() {
                    let residual = (predictions[index][extent] - targets[index][extent]) / scale
                    let spread = 1 + residual * residual
                    gradients[index] = residual * scale / spread.squareRoot() * example.weight
                    hessians[index] = example.weight / (spread * spread.squareRoot())
                }
                let tree = TreeGrower(
                    binned: binned, gradients: gradients, hessians: hessians, parameters: parameters,
                    scale: parameters.learningRate
                ).grow()
                for index in examples.indices {
                    predictions[index][extent] += tree.value(examples[index].features.values)
                }
                round.append(tree)
            }
            trees.append(round)
        }
    }
}
