import Foundation
import FusionGeometry
import FusionIO
import FusionSupport

/// A learned judge of pre-labelling candidates: from a candidate's `ProposalFeatures` it gives the
/// probability that it is background (no road user: a wall, a bush, a pole) or a vehicle, a
/// pedestrian or a cyclist. Geometry proposes (ground, clusters, fits); this decides.
///
/// The model is gradient-boosted regression trees on the softmax loss (as LightGBM and XGBoost
/// train multi-class models): a few hundred trees of depth `TrainingParameters.depth`, one per
/// round and outcome, whose leaf values add up to each outcome's log-odds. It is a plain Codable
/// value saved as JSON with its provenance (`Provenance`: engine version, training data hashes,
/// features, parameters), trained by `fusionlabel train-scorer` and given to the pre-labeller
/// (`Prelabeler.scorer`, `prelabel --scorer`). Training is deterministic: the same examples in the
/// same order give the same model, bit for bit.
public struct ProposalScorer: Codable, Sendable, Equatable {
    /// What a candidate turns out to be.
    public enum Outcome: Int, CaseIterable, Codable, Sendable {
        case background, vehicle, pedestrian, cyclist

        /// The outcome of a benchmark group.
        public init(_ group: ObjectCategory.Group) {
            switch group {
            case .vehicle: self = .vehicle
            case .pedestrian: self = .pedestrian
            case .cyclist: self = .cyclist
            }
        }

        /// The group, nil for background.
        public var group: ObjectCategory.Group? {
            switch self {
            case .background: nil
            case .vehicle: .vehicle
            case .pedestrian: .pedestrian
            case .cyclist: .cyclist
            }
        }
    }

    /// One regression tree, nodes in an array (the root first). A node with `feature` < 0 is a leaf.
    public struct Tree: Codable, Sendable, Equatable {
        public struct Node: Codable, Sendable, Equatable {
            /// Index into `ProposalScorer.features`, or -1 for a leaf.
            public var feature: Int
            /// Values ≤ this go to `left`.
            public var threshold: Float
            public var left: Int, right: Int
            /// A leaf's contribution to its outcome's log-odds.
            public var value: Double
        }

        public var nodes: [Node]

        func value(_ values: [Float]) -> Double {
            var index = 0
            while nodes[index].feature >= 0 {
                let node = nodes[index]
                index = values[node.feature] <= node.threshold ? node.left : node.right
            }
            return nodes[index].value
        }
    }

    /// Where a model comes from.
    public struct Provenance: Codable, Sendable, Equatable {
        /// The engine that trained it (`FusionLabelVersion.current`).
        public var engineVersion: String
        /// Each training set: a name, the SHA-256 of its examples' canonical encoding, and counts.
        public var trainingData: [TrainingSet]
        public var parameters: TrainingParameters
        /// Correction rounds added after training (`updated(with:)`), oldest first.
        public var updates: [TrainingSet] = []

        public struct TrainingSet: Codable, Sendable, Equatable {
            public var name: String
            public var sha256: String
            public var examples: Int

            public init(name: String, sha256: String, examples: Int) {
                self.name = name
                self.sha256 = sha256
                self.examples = examples
            }
        }
    }

    /// How a model is trained.
    public struct TrainingParameters: Codable, Sendable, Equatable, Hashable {
        public var rounds = 120
        public var depth = 3
        var learningRate = 0.1
        /// L2 penalty on leaf values, and the least hessian (≈ examples · p(1 − p)) a leaf holds.
        var leafPenalty = 1.0
        public var minimumLeafWeight = 2.0
        /// Thresholds tried per feature: quantiles of the training values.
        public var bins = 32
        /// Rounds a correction update adds.
        var updateRounds = 20
        /// Rounds of each group's size model (`SizeModel`); nil (the default) trains none.
        public var sizeRounds: Int?

        public init() {}
    }

    /// A labelled candidate.
    public struct Example: Sendable, Codable {
        public var features: ProposalFeatures
        public var outcome: Outcome
        /// Relative weight (datasets of different sizes are weighted to count alike).
        public var weight: Double
        /// For a road user: the size of its labelled box and of the candidate's fit (before
        /// completion), metres, from which a size model learns (nil when unknown).
        public var labelSize: Size3?
        public var fitSize: Size3?

        public init(
            features: ProposalFeatures, outcome: Outcome, weight: Double = 1, labelSize: Size3? = nil,
            fitSize: Size3? = nil
        ) {
            self.features = features
            self.outcome = outcome
            self.weight = weight
            self.labelSize = labelSize
            self.fitSize = fitSize
        }
    }

    /// Bump when the meaning of a field changes.
    public var version = 1
    /// Feature names (`ProposalFeature` raw values), in the order trees index them.
    public var features: [String]
    /// Starting log-odds per outcome.
    var baseScores: [Double]
    /// `trees[round][outcome]`.
    public var trees: [[Tree]]
    public var provenance: Provenance
    /// The operating point chosen when it was trained (`Prelabeler.minimumObjectProbability`), if any.
    public var minimumObjectProbability: Double?
    /// Temperature scaling (Guo et al. 2017): the outcomes' log-odds are divided by it before the
    /// softmax, fitted on predictions for datasets the trees had not seen, so that a predicted
    /// probability means what it says. Nil is 1.
    public var temperature: Double?
    /// Per group, how big its labelled boxes are for candidates like one seen (`SizeModel`): a
    /// kept proposal of a group with a model is completed to that size instead of the size
    /// priors' mean. Nil (or a group left out) keeps the priors.
    public var sizeModels: [ObjectCategory.Group: SizeModel]?

    /// Per outcome (`Outcome.allCases` order), the probability of a candidate, summing to 1.
    /// - Complexity: O(rounds · outcomes · depth).
    public func probabilities(_ candidate: ProposalFeatures) -> [Double] {
        var scores = baseScores
        for round in trees {
            for (outcome, tree) in round.enumerated() { scores[outcome] += tree.value(candidate.values) }
        }
        let scale = 1 / (temperature ?? 1)
        return Self.softmax(scores.map { $0 * scale })
    }

    /// The model the engine ships: trained on the four labelled LiDAR datasets of the development
    /// benchmark (KITTI, SUSTech POINTS, Argoverse 2, PandaSet; see its `provenance`) and the
    /// simulated sample scene, with its operating point chosen by leave-one-dataset-out.
    /// `make builtin-scorer` trains it again.
    public static let builtIn: ProposalScorer = {
        do {
            return try parse(Data(builtInJSON.utf8), file: "the built-in scorer")
        } catch {
            preconditionFailure("the built-in scorer does not decode: \(error)")
        }
    }()

    static func softmax(_ scores: [Double]) -> [Double] {
        let top = scores.max() ?? 0
        let exponentials = scores.map { exp($0 - top) }
        let sum = exponentials.reduce(0, +)
        return exponentials.map { $0 / sum }
    }
}

// MARK: - Training

extension ProposalScorer {
    /// Trains a model on `examples`, recording `sets` (one per training dataset) as its provenance.
    /// - Precondition: examples are not empty.
    public static func train(
        _ examples: [Example], sets: [Provenance.TrainingSet], parameters: TrainingParameters = TrainingParameters()
    )
        -> ProposalScorer
    {
        precondition(!examples.isEmpty, "training needs examples")
        let outcomes = Outcome.allCases.count
        // Starting log-odds: each outcome's weighted share (a small floor keeps an absent one finite).
        var shares = [Double](repeating: 1e-3, count: outcomes)
        for example in examples { shares[example.outcome.rawValue] += example.weight }
        let total = shares.reduce(0, +)
        let base = shares.map { log($0 / total) }
        var model = ProposalScorer(
            features: ProposalFeature.allCases.map(\.rawValue), baseScores: base, trees: [],
            provenance: Provenance(
                engineVersion: FusionLabelVersion.current, trainingData: sets, parameters: parameters))
        model.boost(examples, rounds: parameters.rounds, parameters: parameters)
        let sizeModels = trainSizeModels(examples, parameters: parameters)
        model.sizeModels = sizeModels.isEmpty ? nil : sizeModels
        return model
    }

    /// The model with `updateRounds` more rounds fitted to `examples` (the candidates annotators
    /// kept, with their groups, and those they deleted, as background), starting from this
    /// model's own scores: corrections change which proposals appear. Recorded in the provenance.
    public func updated(with examples: [Example], name: String) -> ProposalScorer {
        guard !examples.isEmpty else { return self }
        var model = self
        model.boost(examples, rounds: provenance.parameters.updateRounds, parameters: provenance.parameters)
        for (group, sizeModel) in sizeModels ?? [:] {
            let sized = examples.filter { $0.outcome.group == group && $0.labelSize != nil && $0.fitSize != nil }
            guard !sized.isEmpty else { continue }
            var updated = sizeModel
            updated.boost(sized, rounds: provenance.parameters.updateRounds, parameters: provenance.parameters)
            model.sizeModels?[group] = updated
        }
        model.provenance.updates.append(.init(name: name, sha256: Self.hash(examples), examples: examples.count))
        return model
    }

    /// SHA-256 of examples' canonical encoding (features as their bit patterns, outcome, weight,
    /// and the labelled and fitted sizes when known).
    public static func hash(_ examples: [Example]) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(examples.count * (ProposalFeature.allCases.count * 4 + 9))
        for example in examples {
            for value in example.features.values { withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes += $0 } }
            bytes.append(UInt8(example.outcome.rawValue))
            withUnsafeBytes(of: example.weight.bitPattern.littleEndian) { bytes += $0 }
            if let label = example.labelSize, let fit = example.fitSize {
                for value in SizeModel.extents(of: label) + SizeModel.extents(of: fit) {
                    withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes += $0 }
                }
            }
        }
        return PrelabelProvenance.sha256(Data(bytes))
    }

    /// Adds `rounds` rounds of trees fitted to the softmax loss's gradients on `examples`.
    mutating func boost(_ examples: [Example], rounds: Int, parameters: TrainingParameters) {
        let outcomes = Outcome.allCases.count
        let featureCount = features.count
        let binned = BinnedFeatures(examples.map(\.features.values), featureCount: featureCount, bins: parameters.bins)
        var scores = examples.map { example in
            var score = baseScores
            for round in trees {
                for (outcome, tree) in round.enumerated() { score[outcome] += tree.value(example.features.values) }
            }
            return score
        }
        // Friedman's multi-class factor: each outcome's tree moves its log-odds by (K − 1)/K of the Newton step.
        let factor = Double(outcomes - 1) / Double(outcomes)
        for _ in 0..<rounds {
            let probabilities = scores.map(Self.softmax)
            var round: [Tree] = []
            for outcome in 0..<outcomes {
                var gradients = [Double](repeating: 0, count: examples.count)
                var hessians = [Double](repeating: 0, count: examples.count)
                for (index, example) in examples.enumerated() {
                    let p = probabilities[index][outcome]
                    let target: Double = example.outcome.rawValue == outcome ? 1 : 0
                    gradients[index] = (p - target) * example.weight
                    hessians[index] = max(p * (1 - p), 1e-6) * example.weight
                }
                let tree = TreeGrower(
                    binned: binned, gradients: gradients, hessians: hessians, parameters: parameters,
                    scale: factor * parameters.learningRate
                ).grow()
                for index in examples.indices { scores[index][outcome] += tree.value(examples[index].features.values) }
                round.append(tree)
            }
            trees.append(round)
        }
    }
}

/// Training values per feature as bin numbers, with the thresholds between bins.
struct BinnedFeatures {
    /// `bins[feature][example]`.
    var bins: [[UInt8]]
    /// `thresholds[feature][b]`: values ≤ it fall in bins 0...b.
    var thresholds: [[Float]]

    init(_ rows: [[Float]], featureCount: Int, bins maximumBins: Int) {
        bins = []
        thresholds = []
        for feature in 0..<featureCount {
            let sorted = rows.map { $0[feature] }.sorted()
            var edges: [Float] = []
            for step in 1..<maximumBins {
                let value = sorted[min(sorted.count - 1, step * sorted.count / maximumBins)]
                // The threshold sits between a value and the next larger one, so that ties stay together.
                if let larger = sorted.first(where: { $0 > value }) {
                    let edge = value + (larger - value) / 2
                    if edges.last.map({ edge > $0 }) ?? true { edges.append(edge) }
                }
            }
            thresholds.append(edges)
            bins.append(
                rows.map { row in
                    var low = 0
                    var high = edges.count
                    while low < high {
                        let middle = (low + high) / 2
                        if row[feature] <= edges[middle] { high = middle } else { low = middle + 1 }
                    }
                    return UInt8(low)
                })
        }
    }
}

/// Grows one regression tree by exact greedy search over the binned thresholds (XGBoost's gain).
struct TreeGrower {
    var binned: BinnedFeatures
    var gradients: [Double], hessians: [Double]
    var parameters: ProposalScorer.TrainingParameters
    /// Multiplies every leaf value (learning rate and the multi-class factor).
    var scale: Double

    func grow() -> ProposalScorer.Tree {
        var nodes: [ProposalScorer.Tree.Node] = []
        split(Array(gradients.indices), depth: 0, into: &nodes)
        return ProposalScorer.Tree(nodes: nodes)
    }

    /// Appends the subtree for `members` and returns its root's index.
    @discardableResult
    private func split(_ members: [Int], depth: Int, into nodes: inout [ProposalScorer.Tree.Node]) -> Int {
        let gradient = members.reduce(0) { $0 + gradients[$1] }
        let hessian = members.reduce(0) { $0 + hessians[$1] }
        let index = nodes.count
        let leaf = ProposalScorer.Tree.Node(
            feature: -1, threshold: 0, left: -1, right: -1,
            value: -gradient / (hessian + parameters.leafPenalty) * scale)
        nodes.append(leaf)
        guard depth < parameters.depth, let best = bestSplit(members, gradient: gradient, hessian: hessian) else {
            return index
        }
        let left = members.filter { binned.bins[best.feature][$0] <= best.bin }
        let right = members.filter { binned.bins[best.feature][$0] > best.bin }
        let leftIndex = split(left, depth: depth + 1, into: &nodes)
        let rightIndex = split(right, depth: depth + 1, into: &nodes)
        nodes[index] = .init(
            feature: best.feature, threshold: binned.thresholds[best.feature][best.bin], left: leftIndex,
            right: rightIndex,
            value: 0)
        return index
    }

    private func bestSplit(_ members: [Int], gradient: Double, hessian: Double) -> (feature: Int, bin: Int)? {
        let penalty = parameters.leafPenalty
        let parentScore = gradient * gradient / (hessian + penalty)
        var best: (gain: Double, feature: Int, bin: Int)?
        for feature in binned.bins.indices {
            let edges = binned.thresholds[feature].count
            guard edges > 0 else { continue }
            var gradientSums = [Double](repeating: 0, count: edges + 1)
            var hessianSums = [Double](repeating: 0, count: edges + 1)
            for member in members {
                let bin = Int(binned.bins[feature][member])
                gradientSums[bin] += gradients[member]
                hessianSums[bin] += hessians[member]
            }
            var leftGradient = 0.0
            var leftHessian = 0.0
            for bin in 0..<edges {
                leftGradient += gradientSums[bin]
                leftHessian += hessianSums[bin]
                let rightGradient = gradient - leftGradient
                let rightHessian = hessian - leftHessian
                guard leftHessian >= parameters.minimumLeafWeight, rightHessian >= parameters.minimumLeafWeight else {
                    continue
                }
                let gain =
                    leftGradient * leftGradient / (leftHessian + penalty) + rightGradient * rightGradient
                    / (rightHessian + penalty) - parentScore
                if gain > 1e-9, gain > (best?.gain ?? 0) { best = (gain, feature, bin) }
            }
        }
        return best.map { ($0.feature, $0.bin) }
    }
}

extension ProposalScorer {
    /// Reads a model saved by `write(to:)`.
    /// - Throws: `ReadError` for unreadable JSON, features this engine does not compute, or trees
    ///   whose nodes point outside them.
    public static func read(contentsOf path: String) throws(ReadError) -> ProposalScorer {
        try parse(try FileAccess.contents(of: path), file: path)
    }

    /// Decodes a model from the bytes of a file written by `write(to:)`; `file` names it in errors.
    public static func parse(_ data: Data, file path: String = "<memory>") throws(ReadError) -> ProposalScorer {
        let model = try JSONFile.decode(ProposalScorer.self, from: data, file: path)
        guard model.features == ProposalFeature.allCases.map(\.rawValue) else {
            throw ReadError(
                file: path, location: .jsonPath("features"),
                message:
                    "expected the features \(ProposalFeature.allCases.map(\.rawValue).joined(separator: ", ")) in that order"
            )
        }
        if let temperature = model.temperature, !(temperature.isFinite && temperature > 0) {
            throw ReadError(
                file: path, location: .jsonPath("temperature"), message: "expected a positive, finite temperature")
        }
        if let point = model.minimumObjectProbability, !(0...1).contains(point) {
            throw ReadError(
                file: path, location: .jsonPath("minimumObjectProbability"), message: "expected a probability in 0...1")
        }
        guard model.baseScores.count == Outcome.allCases.count, model.baseScores.allSatisfy(\.isFinite) else {
            throw ReadError(
                file: path, location: .jsonPath("baseScores"),
                message: "expected \(Outcome.allCases.count) finite scores")
        }
        try checkTrees(
            model.trees, perRound: Outcome.allCases.count, what: "outcome", at: "trees", features: model.features.count,
            file: path)
        for (group, sizeModel) in model.sizeModels ?? [:] {
            guard sizeModel.baseValues.count == 3, sizeModel.baseValues.allSatisfy(\.isFinite) else {
                throw ReadError(
                    file: path, location: .jsonPath("sizeModels.\(group.rawValue).baseValues"),
                    message: "expected 3 finite values (length, width, height)")
            }
            try checkTrees(
                sizeModel.trees, perRound: 3, what: "extent", at: "sizeModels.\(group.rawValue).trees",
                features: model.features.count, file: path)
        }
        return model
    }

    /// Checks that every round has `perRound` trees, and every tree finite leaves and children
    /// after their parent (so that evaluation always ends at a leaf) inside it.
    static func checkTrees(
        _ rounds: [[Tree]], perRound: Int, what: String, at key: String, features: Int, file path: String
    ) throws(ReadError) {
        for (roundIndex, round) in rounds.enumerated() {
            guard round.count == perRound else {
                throw ReadError(
                    file: path, location: .jsonPath("\(key)[\(roundIndex)]"), message: "expected one tree per \(what)")
            }
            for (treeIndex, tree) in round.enumerated() {
                let valid =
                    !tree.nodes.isEmpty
                    && tree.nodes.enumerated().allSatisfy { index, node in
                        node.value.isFinite
                            && (node.feature < 0
                                || (node.feature < features && node.threshold.isFinite
                                    && node.left > index && node.right > index && node.left < tree.nodes.count
                                    && node.right < tree.nodes.count))
                    }
                guard valid else {
                    throw ReadError(
                        file: path, location: .jsonPath("\(key)[\(roundIndex)][\(treeIndex)]"),
                        message: "expected finite leaves and children after their parent inside the tree")
                }
            }
        }
    }

    /// Saves the model as key-sorted JSON, atomically (a temporary file renamed over `path`).
    public func write(to path: String) throws(WriteError) {
        try FileAccess.writeAtomically(try JSONFile.encode(self, file: path), to: path)
    }
}
