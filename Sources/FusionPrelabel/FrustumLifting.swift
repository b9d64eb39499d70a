import Foundation
import FusionCalibration
import FusionGeometry
import FusionIO
import FusionSupport

/// A 2D detection in one camera's image: what an image detector (or a person drawing a 2D box)
/// gives. The JSON form is `{"camera": "front", "label": "Car", "score": 0.9, "left": 10,
/// "top": 20, "right": 110, "bottom": 80}` (pixels, u right, v down); `camera` may be left out
/// when the frame has one camera.
public struct CameraDetection: Codable, Sendable, Equatable {
    public var camera: String?
    /// The detector's class name (KITTI, SUSTech or COCO-style: Car, Pedestrian, person, bicycle...).
    public var label: String
    /// 0...1.
    public var score: Double
    public var left: Double, top: Double, right: Double, bottom: Double

    public init(camera: String?, label: String, score: Double, box: PixelRectangle) {
        self.camera = camera
        self.label = label
        self.score = score
        left = box.left
        top = box.top
        right = box.right
        bottom = box.bottom
    }

    /// The pre-label class the detector's name stands for (COCO's person and bicycle included).
    public var kind: PrelabelClass? {
        switch label.lowercased() {
        case "person": .pedestrian
        case "bicycle", "motorcycle": .cyclist
        case "truck": .vanTruck
        default: PrelabelClass(labelName: label)
        }
    }

    /// Reads a JSON array of detections.
    /// - Throws: `ReadError` for malformed JSON, or a box that is not finite with left < right and top < bottom.
    public static func read(contentsOf path: String) throws(ReadError) -> [CameraDetection] {
        try parse(try FileAccess.contents(of: path), file: path)
    }

    /// Decodes a JSON array of detections from bytes; `file` names them in errors.
    /// - Throws: `ReadError` for malformed JSON, or a box that is not finite with left < right and top < bottom.
    public static func parse(_ data: Data, file path: String = "<memory>") throws(ReadError) -> [CameraDetection] {
        let detections = try JSONFile.decode([CameraDetection].self, from: data, file: path)
        for (index, detection) in detections.enumerated() {
            let box = [detection.left, detection.top, detection.right, detection.bottom]
            guard box.allSatisfy(\.isFinite), detection.left < detection.right, detection.top < detection.bottom,
                detection.score.isFinite
            else {
                throw ReadError(
                    file: path, location: .jsonPath("\(index)"),
                    message: "expected finite pixels with left < right and top < bottom, and a finite score")
            }
        }
        return detections
    }

    /// Detections from KITTI object rows (type, 2D box, score; DontCare skipped) in camera `camera`.
    public static func kitti(_ objects: [KITTIObject], camera: String?) -> [CameraDetection] {
        objects.filter { !$0.isDontCare }.map {
            CameraDetection(camera: camera, label: $0.type, score: $0.score ?? 1, box: $0.imageBox)
        }
    }
}

/// Sensor fusion as LATTE does it: each 2D detection's frustum (the standing returns that project
/// into its box) is clustered, the nearest cluster spanning the box fitted, and the result merged with
/// the LiDAR-only proposals. The detector's class replaces the size priors' guess when the
/// geometry allows it (its probability from the sizes is at least `agreement`); when it does not,
/// a LiDAR proposal keeps its own class and a lifted one stays unsure.
public struct FrustumLifting: Sendable {
    public var prelabeler: Prelabeler
    /// Share of the box's width and height trimmed on each side before gathering returns (boxes
    /// are loose; their edges catch the background).
    var trim = 0.05
    /// Smallest size-prior probability of the detector's class that counts as agreement.
    public var agreement = 0.02

    public init(prelabeler: Prelabeler = Prelabeler()) {
        self.prelabeler = prelabeler
    }

    /// The proposals after fusion: `own` (the LiDAR pipeline's, on `cloud`) with the detections'
    /// classes where a detection covers them, plus a proposal per detection that covered none.
    public func fuse(
        _ detections: [CameraDetection], rig: CameraRig, own: [Proposal], cloud: PointCloud,
        ground: GroundSegmentation.Ground?
    ) -> [Proposal] {
        var proposals = own
        let tolerance = prelabeler.clustering.tolerance
        for camera in rig.cameras {
            let mine = detections.filter { $0.camera == camera.name || ($0.camera == nil && rig.cameras.count == 1) }
            guard !mine.isEmpty else { continue }
            let projected = camera.project(cloud)
            for detection in mine {
                guard
                    let lifted = lift(
                        detection, projected: projected, cloud: cloud, ground: ground, tolerance: tolerance)
                else { continue }
                // The LiDAR proposal holding most of the frustum cluster's returns is the same object.
                let liftedReturns = Set(lifted.pointIndices)
                let covering = proposals.indices.max { a, b in
                    liftedReturns.intersection(proposals[a].pointIndices).count
                        < liftedReturns.intersection(proposals[b].pointIndices).count
                }
                if let covering,
                    2 * liftedReturns.intersection(proposals[covering].pointIndices).count >= liftedReturns.count
                {
                    proposals[covering] = classed(proposals[covering], as: detection)
                } else {
                    proposals.append(lifted)
                }
            }
        }
        return proposals
    }

    /// The proposal a detection's frustum gives, or nil when fewer than three standing returns fall in it.
    func lift(
        _ detection: CameraDetection, projected: ProjectedPoints, cloud: PointCloud, ground: GroundSegmentation.Ground?,
        tolerance: Double
    ) -> Proposal? {
        let width = detection.right - detection.left
        let height = detection.bottom - detection.top
        let left = Float(detection.left + trim * width)
        let right = Float(detection.right - trim * width)
        let top = Float(detection.top + trim * height)
        let bottom = Float(detection.bottom - trim * height)
        let inside = (0..<cloud.count).filter { index in
            projected.flags(at: index).contains(.insideImage) && !(ground?.mask[index] ?? false)
                && projected.u[index] >= left && projected.u[index] <= right && projected.v[index] >= top
                && projected.v[index] <= bottom
        }
        guard inside.count >= 3 else { return nil }
        let (labels, clusterCount) = EuclideanClustering(tolerance: tolerance).labels(of: cloud.subset(inside))
        // The object fills its box from top to bottom, clutter in front of it does not: the nearest
        // cluster (three returns or more) spanning half the box's height in the image, or the
        // largest when none does.
        var members = [[Int]](repeating: [], count: clusterCount)
        for (position, label) in labels.enumerated() where label >= 0 { members[Int(label)].append(inside[position]) }
        members = members.filter { $0.count >= 3 }
        func medianDepth(_ cluster: [Int]) -> Float {
            OrderStatistics.upperMedian(cluster.map { projected.depth[$0] }.sorted())
        }
        func span(_ cluster: [Int]) -> Float {
            let rows = cluster.map { projected.v[$0] }
            return rows.max()! - rows.min()!
        }
        let spanning = members.filter { span($0) >= 0.5 * (bottom - top) }
        guard
            let nearest = spanning.min(by: { (medianDepth($0), $0[0]) < (medianDepth($1), $1[0]) })
                ?? members.max(by: { ($0.count, -$0[0]) < ($1.count, -$1[0]) })
        else { return nil }
        let groundHeight: (Double, Double) -> Double = { x, y in ground?.height(x: x, y: y) ?? -.infinity }
        guard let fit = prelabeler.fitter.fit(nearest.map { cloud[$0] }, groundHeight: groundHeight) else { return nil }
        var proposal = prelabeler.proposal(for: fit, indices: nearest)
        let agreed = classed(proposal, as: detection)
        if agreed.kind != detection.kind, detection.kind != nil {
            // The frustum's cluster does not look like what the camera saw: a person decides.
            proposal.kind = nil
            if !proposal.flags.contains(.ambiguousClass) { proposal.flags.append(.ambiguousClass) }
        } else {
            proposal = agreed
        }
        proposal.origin = .camera(name: detection.camera ?? "", label: detection.label, score: detection.score)
        return proposal
    }

    /// The proposal with the detection's class when the sizes allow it, completed as that class;
    /// otherwise unchanged (the detection may belong to another object in the same direction).
    func classed(_ proposal: Proposal, as detection: CameraDetection) -> Proposal {
        guard let kind = detection.kind, kind != .other, let prior = prelabeler.priors.classes[kind],
            (proposal.classProbabilities[kind] ?? 0) >= agreement
        else { return proposal }
        var result = proposal
        result.kind = kind
        result.confidence = detection.score
        result.flags.removeAll { $0 == .ambiguousClass }
        result.cuboid = prelabeler.fitter.completed(proposal.fit, as: kind, prior: prior)
        return result
    }
}
