import Foundation
import FusionGeometry

/// Why a proposal needs a person's judgement.
public enum ProposalFlag: String, Codable, Sendable, CaseIterable, Comparable {
    /// Fewer returns than `Prelabeler.minimumConfidentPoints`: shape and class are guesses.
    case tooFewPoints = "too_few_points"
    /// The two likeliest classes are close (the best below `Prelabeler.minimumClassProbability`).
    case ambiguousClass = "ambiguous_class"
    /// One face seen, or an extent well short of the class's: the box was completed from priors.
    case partialView = "partial_view"
    /// Larger than any class allows in length or width: probably several objects in one cluster.
    case mergedCluster = "merged_cluster"
    /// From a detector, scored below `PredictionImport.minimumScore`.
    case lowModelScore = "low_model_score"
    /// From a detector, with fewer returns inside than `PredictionImport.minimumSupport`.
    case poorlySupported = "poorly_supported"

    /// Whether the flag asks a person to look (the class or the box may be wrong), or only
    /// describes the view (few returns, seen in part: most proposals of a sweep are).
    public var asksForReview: Bool {
        switch self {
        case .ambiguousClass, .mergedCluster, .lowModelScore, .poorlySupported: true
        case .tooFewPoints, .partialView: false
        }
    }

    public static func < (lhs: ProposalFlag, rhs: ProposalFlag) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// What made a proposal.
public enum ProposalOrigin: Hashable, Sendable {
    /// The engine's own LiDAR pipeline (ground, clusters, fit).
    case lidarClusters
    /// A team's detector, by name, with its score.
    case model(name: String, score: Double)
    /// A 2D detection lifted through a camera's frustum: the camera, the detector's class name and score.
    case camera(name: String, label: String, score: Double)
}

/// A first-pass cuboid for a person to judge.
public struct Proposal: Sendable {
    /// Sensor frame, metres; completed from the class's priors when the view was partial.
    public var cuboid: Cuboid
    /// The class, or nil when the engine is unsure (`flags` says why); `classProbabilities`
    /// still holds its guesses.
    public var kind: PrelabelClass?
    /// Probability of `kind` (or of the likeliest class when `kind` is nil), 0...1; with a scorer,
    /// the probability of its group (vehicle, pedestrian, cyclist): car, van and bus split a
    /// vehicle's probability by the size priors.
    public var confidence: Double
    public var classProbabilities: [PrelabelClass: Double]
    public var flags: [ProposalFlag]
    /// The fit before completion, with its residual and returns.
    public var fit: CuboidFitter.Fit
    /// Indices of the sweep's points the proposal was fitted to.
    public var pointIndices: [Int]
    public var origin: ProposalOrigin = .lidarClusters
    /// What the proposal scorer saw (nil for proposals that did not come from the LiDAR pipeline).
    public var features: ProposalFeatures?
    /// The scorer's probability that the proposal is a road user of some group (nil without a scorer).
    public var objectProbability: Double?
}

/// Model-assisted pre-labelling of one LiDAR sweep (sensor frame, z up): ground, Euclidean
/// clustering of what stands on it, a cuboid per cluster, a class with its probability, and
/// flags where a person must decide.
public struct Prelabeler: Sendable, Encodable {
    var groundSegmentation = GroundSegmentation()
    public var clustering = EuclideanClustering(tolerance: 0.5, sizes: 5...50_000)
    var fitter = CuboidFitter()
    /// Splits clusters of people walking together; nil leaves clusters whole.
    var pedestrianSplitting: PedestrianSplitting? = PedestrianSplitting()
    public var priors = PriorModel.standard
    /// Decides class and confidence, and whether a candidate is an object at all, from its
    /// features (the built-in model unless replaced); nil leaves both to the size priors and keeps
    /// every candidate.
    public var scorer: ProposalScorer? = .builtIn
    /// The operating point: candidates the scorer gives a lower probability of being a road user
    /// are left out (the built-in model's, chosen by leave-one-dataset-out).
    public var minimumObjectProbability = ProposalScorer.builtIn.minimumObjectProbability ?? 0.5
    /// Clusters are road users when within these limits (metres): taller, longer or flatter
    /// ones are buildings, walls, canopies or kerbs, and ones floating above the ground are
    /// signs and branches.
    var maximumLength = 20.0
    var maximumHeight = 4.8
    public var minimumHeight = 0.4
    var maximumClearance = 1.0
    /// A cluster up to `hiddenClearance` metres above the ground is still a road user when the
    /// sensor could not see under it (see `SweepRays.hidesBelow`): the rays a little below its
    /// lowest return (`hiddenBelowDepth`, a slope) came back from something at least
    /// `hiddenBelowMargin` metres nearer, at least `hiddenBelowRays` of them and no more than
    /// `hiddenBelowSeenShare` reaching it. A person on the far side of a parked car, or behind a
    /// hedge, shows only the upper body. Only within `hiddenRange` metres and with at least
    /// `minimumConfidentPoints` returns: farther, the ground under an object is extrapolated and
    /// the tops of walls and trees float over it just the same. And only a body: a footprint at
    /// least `hiddenMinimumLength` by `hiddenMinimumWidth` (metres; the top of a pole, or a wall,
    /// a fence or a board seen edge-on behind a van, is thinner; a person's shoulders are 0.4 m
    /// across and the front of a torso curves back more than 0.1 m). Such proposals are flagged
    /// `partialView`.
    var hiddenClearance = 1.5
    var hiddenRange = 30.0
    var hiddenMinimumLength = 0.3
    var hiddenMinimumWidth = 0.1
    var hiddenBelowDepth = 0.03
    var hiddenBelowMargin = 0.5
    var hiddenBelowRays = 4
    var hiddenBelowSeenShare = 0.2
    /// Metres from the sensor.
    public var maximumRange = 80.0
    /// Fewer returns flag `tooFewPoints`.
    var minimumConfidentPoints = 10
    /// A likeliest class below this probability flags `ambiguousClass` (with a scorer: a likeliest
    /// group holding less than this share of the probability of being an object).
    var minimumClassProbability = 0.6
    /// A likeliest car is ruled out (its probability cut fiftyfold) when the smallest car the
    /// returns allow (each short extent grown to mean − 1.5 σ) let through at least
    /// `seenThroughRays` returns, and `seenThroughShare` of the fit's returns: rays that crossed
    /// the grown part within `seenThroughBand` metres above its bottom (a car's flanks between
    /// the sill and the bonnet, below any window) and returned from beyond it, which its body
    /// would have stopped. A bicycle side-on or a hedge taken for a car's back is caught so. Vans,
    /// trucks and buses are not judged so: a truck's body may stand high over open axles.
    var seenThroughRays = 8
    var seenThroughShare = 0.25
    var seenThroughBand = 0.3...0.7

    public init() {}

    /// The pre-labeller without a scorer: classes and confidences from the size priors alone,
    /// and every candidate proposed (as before the scorer existed).
    public static var withoutScorer: Prelabeler {
        var prelabeler = Prelabeler()
        prelabeler.scorer = nil
        return prelabeler
    }

    /// The proposals for one sweep, nearest first, and the ground found (nil when the sweep has
    /// no plane near horizontal, in which case boxes stand on their lowest returns).
    ///
    /// The three stages, each callable alone (as `fusionlabel bench` times them): `ground(of:)`,
    /// `clusters(of:ground:)`, then `proposals(in:ground:clusters:)`.
    public func prelabel(_ cloud: PointCloud) -> (proposals: [Proposal], ground: GroundSegmentation.Ground?) {
        let ground = ground(of: cloud)
        return (proposals(in: cloud, ground: ground, clusters: clusters(of: cloud, ground: ground)), ground)
    }

    /// Stage 1: the ground of a sweep (nil when it has no plane near horizontal).
    public func ground(of cloud: PointCloud) -> GroundSegmentation.Ground? {
        groundSegmentation.ground(of: cloud)
    }

    /// Stage 2: the returns above the ground, grouped by Euclidean clustering. `labels` has one
    /// entry per return of `cloud`: its cluster in `0..<count`, or -1 (ground, noise, too small).
    public func clusters(of cloud: PointCloud, ground: GroundSegmentation.Ground?) -> (labels: [Int32], count: Int) {
        let standing = ground.map { $0.mask.map { !$0 } }
        let (labels, count) = clustering.labels(of: cloud, included: standing)
        return (labels, count)
    }

    /// Stage 3: fits, classes, features, the scorer and flags for every cluster; the proposals
    /// kept at the operating point, nearest first.
    public func proposals(
        in cloud: PointCloud, ground: GroundSegmentation.Ground?,
        clusters: (labels: [Int32], count: Int)
    ) -> [Proposal] {
        let (labels, clusterCount) = clusters
        // Each cluster's points, by a counting sort on the label.
        var starts = [Int](repeating: 0, count: clusterCount + 1)
        for label in labels where label >= 0 { starts[Int(label) + 1] += 1 }
        for cluster in 0..<clusterCount { starts[cluster + 1] += starts[cluster] }
        var members = [Int](repeating: 0, count: starts[clusterCount])
        var next = starts
        for (index, label) in labels.enumerated() where label >= 0 {
            members[next[Int(label)]] = index
            next[Int(label)] += 1
        }
        let groundHeight: (Double, Double) -> Double = { x, y in ground?.height(x: x, y: y) ?? -.infinity }
        let context = SweepContext(cloud, rays: SweepRays(cloud))
        var proposals: [Proposal] = []
        for cluster in 0..<clusterCount {
            let indices = Array(members[starts[cluster]..<starts[cluster + 1]])
            let points = indices.map { cloud[$0] }
            for part in peopleIn(points, groundHeight: groundHeight) ?? [Array(points.indices)] {
                if let proposal = propose(
                    part.map { points[$0] }, indices: part.map { indices[$0] }, groundHeight: groundHeight,
                    context: context),
                    isKept(proposal)
                {
                    proposals.append(proposal)
                }
            }
        }
        proposals.sort {
            ($0.cuboid.center.x * $0.cuboid.center.x + $0.cuboid.center.y * $0.cuboid.center.y, $0.pointIndices[0])
                < (
                    $1.cuboid.center.x * $1.cuboid.center.x + $1.cuboid.center.y * $1.cuboid.center.y,
                    $1.pointIndices[0]
                )
        }
        return proposals
    }

    /// The proposal for one object's returns, or nil when they are not a road user.
    public func propose(_ points: [SIMD3<Float>], indices: [Int], groundHeight: (Double, Double) -> Double) -> Proposal?
    {
        propose(points, indices: indices, groundHeight: groundHeight, context: nil)
    }

    /// As `propose(_:indices:groundHeight:)`, with what the whole sweep tells: cars its rays saw
    /// through are ruled out, and the scorer's features are measured.
    func propose(
        _ points: [SIMD3<Float>], indices: [Int], groundHeight: (Double, Double) -> Double, context: SweepContext?
    ) -> Proposal? {
        let rays = context?.rays
        guard isPossiblyRoadUser(points, groundHeight: groundHeight),
            let fit = fitter.fit(points, groundHeight: groundHeight)
        else { return nil }
        let box = fit.cuboid
        let size = box.size
        let range = (box.center.x * box.center.x + box.center.y * box.center.y).squareRoot()
        let lowestReturn = points.reduce(Float.infinity) { min($0, $1.z) }
        let clearance = Double(lowestReturn) - (box.center.z - size.height / 2)
        guard size.length <= maximumLength, size.height <= maximumHeight, size.height >= minimumHeight,
            range <= maximumRange
        else { return nil }
        let isHidden = clearance > maximumClearance
        if isHidden {
            guard clearance <= hiddenClearance, size.length >= hiddenMinimumLength, size.width >= hiddenMinimumWidth,
                isHiddenBelow(points, box: box, rays: rays)
            else { return nil }
        }
        let features = context.map {
            self.features(
                of: fit, points: points, indices: indices, groundHeight: groundHeight, context: $0,
                hiddenBelow: isHidden)
        }
        return proposal(for: fit, indices: indices, rays: rays, features: features)
    }

    /// Whether a proposal stays at the operating point (`minimumObjectProbability`).
    package func isKept(_ proposal: Proposal) -> Bool {
        proposal.objectProbability.map { $0 >= minimumObjectProbability } ?? true
    }

    /// The proposal this pre-labeller makes of a candidate another one measured (its fit, returns
    /// and features, as a pre-labeller without a scorer gives them), or nil when its scorer leaves
    /// it out: how a new scorer or operating point is judged without measuring the sweep again.
    public func rescored(_ candidate: Proposal) -> Proposal? {
        let proposal = proposal(
            for: candidate.fit, indices: candidate.pointIndices, rays: nil, features: candidate.features)
        return isKept(proposal) ? proposal : nil
    }

    /// Classes, flags and completion for a fit (whatever its size: a person may have asked for it).
    public func proposal(for fit: CuboidFitter.Fit, indices: [Int]) -> Proposal {
        proposal(for: fit, indices: indices, rays: nil, features: nil)
    }

    /// As `proposal(for:indices:)`. With the scorer and the candidate's `features`, the scorer's
    /// probabilities decide (a vehicle's split between car, van and bus by the size priors), and
    /// `.other` holds the probability of background. Without them the size priors decide, and with
    /// the sweep's `rays` a likeliest car whose completed box they saw through is ruled out
    /// (`seenThroughRays`).
    func proposal(for fit: CuboidFitter.Fit, indices: [Int], rays: SweepRays?, features: ProposalFeatures?) -> Proposal
    {
        let box = fit.cuboid
        let size = box.size
        var probabilities = priors.classProbabilities(observed: size, seenSides: fit.seenSides)
        var objectProbability: Double?
        if let scorer, let features {
            let outcome = scorer.probabilities(features)
            let vehicles = [PrelabelClass.car, .vanTruck, .bus].reduce(0) { $0 + (probabilities[$1] ?? 0) }
            for kind in [PrelabelClass.car, .vanTruck, .bus] {
                probabilities[kind] =
                    outcome[ProposalScorer.Outcome.vehicle.rawValue]
                    * (vehicles > 0 ? (probabilities[kind] ?? 0) / vehicles : kind == .car ? 1 : 0)
            }
            probabilities[.pedestrian] = outcome[ProposalScorer.Outcome.pedestrian.rawValue]
            probabilities[.cyclist] = outcome[ProposalScorer.Outcome.cyclist.rawValue]
            probabilities[.other] = outcome[ProposalScorer.Outcome.background.rawValue]
            objectProbability = 1 - outcome[ProposalScorer.Outcome.background.rawValue]
        } else if let rays, isSeenThrough(fit, probabilities: probabilities, rays: rays) {
            probabilities[.car] = (probabilities[.car] ?? 0) / 50
            let sum = PrelabelClass.allCases.reduce(0) { $0 + (probabilities[$1] ?? 0) }
            probabilities = probabilities.mapValues { $0 / sum }
        }
        // With a scorer, `.other` is background: a kept proposal is the likeliest road user.
        var best = probabilities.filter { objectProbability == nil || $0.key != .other }.max {
            ($0.value, $1.key) < ($1.value, $0.key)
        }!
        var classShare = best.value
        if let objectProbability {
            // The scorer says which kind of road user; the size priors only split a vehicle into
            // car, van or bus. So the confidence is that of the likeliest group, and the class is
            // ambiguous when that group holds too little of the probability of being an object.
            let groups = Dictionary(grouping: PrelabelClass.allCases.filter { $0.group != nil }, by: { $0.group! })
                .mapValues { kinds in kinds.reduce(0) { $0 + (probabilities[$1] ?? 0) } }
            let group = groups.max { ($0.value, $1.key) < ($1.value, $0.key) }!
            let kind = PrelabelClass.allCases.filter { $0.group == group.key }.max {
                (probabilities[$0] ?? 0, $1) < (probabilities[$1] ?? 0, $0)
            }!
            best = (kind, group.value)
            classShare = objectProbability > 0 ? group.value / objectProbability : 0
        }
        var flags: [ProposalFlag] = []
        if fit.pointCount < minimumConfidentPoints { flags.append(.tooFewPoints) }
        if classShare < minimumClassProbability { flags.append(.ambiguousClass) }
        let largest = priors.classes.values.map {
            ($0.meanSize.length + 3 * $0.sizeDeviation.length, $0.meanSize.width + 3 * $0.sizeDeviation.width)
        }
        if !largest.contains(where: { size.length <= $0.0 && size.width <= $0.1 }) { flags.append(.mergedCluster) }
        // A class the engine is sure of completes the box, and so does a likeliest pedestrian or
        // cyclist (growing about the centre costs little); otherwise the box stays tight on the returns.
        let unsure = flags.contains(.tooFewPoints) || flags.contains(.ambiguousClass) || flags.contains(.mergedCluster)
        var cuboid = box
        if fit.seenSides <= 1 { flags.append(.partialView) }
        let completes = !unsure || best.key == .pedestrian || best.key == .cyclist
        if let group = best.key.group, let features, let sizeModel = scorer?.sizeModels?[group],
            !flags.contains(.mergedCluster)
        {
            // The scorer learned how big its training labels draw objects seen like this one.
            let size = sizeModel.size(of: box, features: features)
            let none = Size3(length: 0, width: 0, height: 0)
            cuboid = fitter.completed(
                fit, expecting: size, deviation: none, correction: none, growsAway: group == .vehicle,
                growth: .toAtLeastSize(size))
        } else if completes, best.key != .other, let prior = priors.classes[best.key] {
            cuboid = fitter.completed(fit, as: best.key, prior: prior)
            let grown =
                cuboid.size.length > size.length + 1.5 * prior.sizeDeviation.length
                || cuboid.size.width > size.width + 1.5 * prior.sizeDeviation.width
            if grown && fit.seenSides > 1 { flags.append(.partialView) }
        }
        // Its lower part was not seen: a partial view, whatever its footprint showed.
        if let features, features[.hiddenBelow] > 0, !flags.contains(.partialView) {
            flags = (flags + [.partialView]).sorted()
        }
        return Proposal(
            cuboid: cuboid, kind: unsure ? nil : best.key, confidence: best.value, classProbabilities: probabilities,
            flags: flags, fit: fit, pointIndices: indices, features: features, objectProbability: objectProbability)
    }

    /// Whether the likeliest class is a car whose smallest completed box the sweep saw through
    /// (`seenThroughRays`).
    func isSeenThrough(_ fit: CuboidFitter.Fit, probabilities: [PrelabelClass: Double], rays: SweepRays) -> Bool {
        guard probabilities.max(by: { ($0.value, $1.key) < ($1.value, $0.key) })?.key == .car,
            let prior = priors.classes[.car]
        else { return false }
        // The smallest car the returns allow: a box grown to the mean would reach past a short
        // car's end into space the sweep rightly saw through.
        let completed = fitter.completed(
            fit, expecting: prior.meanSize, deviation: prior.sizeDeviation, correction: prior.sizeCorrection,
            growsAway: true, growth: .toAtLeast(deviations: 1.5))
        guard completed != fit.cuboid else { return false }
        let through = rays.raysThrough(completed, outside: fit.cuboid, band: seenThroughBand, margin: 0.2)
        return through >= max(seenThroughRays, Int((seenThroughShare * Double(fit.pointCount)).rounded(.up)))
    }

    /// Whether the sweep's `rays` could not see under `points` (`hiddenClearance`).
    func isHiddenBelow(_ points: [SIMD3<Float>], box: Cuboid, rays: SweepRays?) -> Bool {
        guard points.count >= minimumConfidentPoints,
            (box.center.x * box.center.x + box.center.y * box.center.y).squareRoot() <= hiddenRange
        else { return false }
        return rays?.hidesBelow(
            points, box: box, depth: hiddenBelowDepth, margin: hiddenBelowMargin, minimumRays: hiddenBelowRays,
            seenShare: hiddenBelowSeenShare) ?? false
    }

    /// The people in a cluster of several walking together (see `PedestrianSplitting`), as
    /// indices into `points`, or nil when it is one object.
    func peopleIn(_ points: [SIMD3<Float>], groundHeight: (Double, Double) -> Double) -> [[Int]]? {
        guard let splitting = pedestrianSplitting, let first = points.first else { return nil }
        let found = groundHeight(Double(first.x), Double(first.y))
        let ground = found.isFinite ? found : Double(points.reduce(Float.infinity) { min($0, $1.z) })
        return splitting.split(points, ground: ground)
    }

    /// What the axis-aligned bounds already rule out, before any fitting: taller than a road
    /// user, longer than one in any orientation (a rectangle holding points `d` apart is at least
    /// `d/√2` long), floating, or out of range.
    func isPossiblyRoadUser(_ points: [SIMD3<Float>], groundHeight: (Double, Double) -> Double) -> Bool {
        var low = SIMD3<Float>(repeating: .infinity)
        var high = -low
        for point in points {
            low = pointwiseMin(low, point)
            high = pointwiseMax(high, point)
        }
        let middle = SIMD2<Double>(Double(low.x + high.x) / 2, Double(low.y + high.y) / 2)
        let found = groundHeight(middle.x, middle.y)
        let ground = found.isFinite ? min(Double(low.z), found) : Double(low.z)
        let extent = Double(max(high.x - low.x, high.y - low.y))
        return Double(high.z) - ground <= maximumHeight && extent <= maximumLength * 2.0.squareRoot()
            && Double(low.z) - ground <= max(maximumClearance, hiddenClearance) + 0.5
            && (middle * middle).sum().squareRoot() <= maximumRange + extent
    }
}
