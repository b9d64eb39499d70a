import Foundation
import FusionGeometry

/// The classic ways a LiDAR-camera extrinsic goes wrong between a calibration file and a tool.
public enum CalibrationMistake: String, CaseIterable, Codable, Sendable {
    /// The file holds `lidarFromCamera` and was read as `cameraFromLidar` (or the other way round).
    case inverted
    /// A row-major matrix read as column-major (or the other way round).
    case transposed
    /// The camera axes are OpenGL's (x right, y up, z backward), not OpenCV's (x right, y down, z forward).
    case openGLAxes = "opengl-axes"
    // Swapped cameras are a mistake of the rig, not of one matrix: `CalibrationChecker.swappedCameras`.

    /// The reading of `matrix` that undoes this mistake (nil when `matrix` cannot be inverted as a rigid transform).
    public func corrected(_ matrix: ExtrinsicMatrix) -> ExtrinsicMatrix? {
        switch self {
        case .inverted:
            guard let transform = matrix.rigidTransform() else { return nil }
            return ExtrinsicMatrix(transform.inverse)
        case .transposed:
            return matrix.transposed
        case .openGLAxes:
            return Self.flippingCameraYZ(matrix)
        }
    }

    /// The mistake applied to a correct `cameraFromLidar` (for tests and for explaining a finding).
    public func applied(to transform: RigidTransform) -> ExtrinsicMatrix {
        let matrix = ExtrinsicMatrix(transform)
        switch self {
        case .inverted: return ExtrinsicMatrix(transform.inverse)
        case .transposed: return matrix.transposed
        case .openGLAxes: return Self.flippingCameraYZ(matrix)
        }
    }

    /// diag(1, -1, -1, 1) · matrix: turns OpenGL camera axes into OpenCV's and back.
    private static func flippingCameraYZ(_ matrix: ExtrinsicMatrix) -> ExtrinsicMatrix {
        var flipped = matrix
        flipped.rows[1] = -matrix.rows[1]
        flipped.rows[2] = -matrix.rows[2]
        return flipped
    }
}

/// How well an extrinsic explains one image and sweep.
public struct CalibrationScore: Hashable, Codable, Sendable {
    /// Share of the sweep's finite points that land on the image in front of the camera.
    public var pointsInImageShare: Double
    /// LiDAR depth-edge points that land on the image.
    public var edgePointsInImage: Int
    /// Mean of exp(-d / τ) over those edge points, d their distance to the nearest image edge
    /// (Canny) and τ `CalibrationChecker.edgeScale`: 1 when every LiDAR edge lies on an image edge.
    public var edgeAlignment: Double
    /// The same mean over points that are not on depth edges: what the image's texture alone gives.
    public var backgroundAlignment: Double
    /// Mutual information (bits) between LiDAR intensity and image brightness over the points on the
    /// image (Pandey et al., "Automatic Targetless Extrinsic Calibration of a 3D Lidar and Camera by
    /// Maximizing Mutual Information", AAAI 2012); 0 when the cloud has no intensity.
    public var intensityInformation: Double

    /// The figure candidates are ranked by: how much closer depth edges land to image edges than other
    /// points do, `max(0, edgeAlignment - backgroundAlignment)` (near 0 for a wrong extrinsic, however
    /// textured the image), plus `intensityInformation`; 0 when fewer than
    /// `CalibrationChecker.minimumEdgePoints` edge points land on the image (nothing to judge by).
    public var value: Double
}

/// The outcome of checking one camera's extrinsic.
public struct CalibrationReport: Sendable {
    /// One reading of the matrix: as given, or as if one mistake had been made.
    public struct Candidate: Sendable {
        /// nil for the matrix as given.
        public var mistake: CalibrationMistake?
        /// The whole chain with this reading of the matrix.
        public var cameraFromLidar: RigidTransform
        public var score: CalibrationScore
    }

    public var camera: String
    /// Problems with the matrix itself (bottom row, orthonormality, determinant), in words.
    public var matrixProblems: [String]
    /// The matrix as given, when it is a rigid transform at all.
    public var asGiven: Candidate?
    /// Every reading that is a rigid transform, best score first.
    public var candidates: [Candidate]
    /// The mistake whose correction scores clearly better than the matrix as given (or the only
    /// reading that is a rigid transform when the given one is not).
    public var suspectedMistake: CalibrationMistake?

    /// The best reading's transform.
    public var best: Candidate? { candidates.first }
}

/// Scores a LiDAR-camera extrinsic against the image, and the readings the classic mistakes would give.
///
/// Two signals, added: the agreement of LiDAR depth edges with Canny edges of the image beyond what the
/// image's texture gives any point (Levinson and Thrun 2013), and the mutual information between LiDAR
/// intensity and image brightness (Pandey et al. 2012). Either alone misjudges some real frames; their
/// sum ranks the right reading first on every KITTI and SUSTech frame tested. The share of points
/// that land in the image is reported but not scored (a 360° sweep fills any view). A corrected
/// reading is reported as the likely mistake when its score is at least `clearMargin` times the given one's.
public struct CalibrationChecker: Sendable {
    /// τ of the edge-alignment score, pixels.
    var edgeScale: Double = 6
    var minimumEdgePoints = 100
    var clearMargin = 1.3
    /// Canny thresholds on the 0-255 grey scale.
    var cannyThresholds: (low: Double, high: Double) = (50, 150)

    public init() {}

    /// Checks one camera. `camera` supplies the intrinsics and image size; its `cameraFromLidar` is
    /// ignored in favour of `outer · matrix`.
    /// - Parameters:
    ///   - matrix: the extrinsic exactly as the calibration file holds it, where the mistake would be made.
    ///   - outer: what the file's convention puts between the matrix's target frame and the camera
    ///     (for KITTI, `Tr_velo_to_cam` is followed by the rectification and the camera's baseline);
    ///     identity when the matrix is `cameraFromLidar` itself.
    public func check(
        _ matrix: ExtrinsicMatrix, chainedAfter outer: RigidTransform = .identity, camera: Camera,
        points: PointCloud, image: RGBImage
    ) throws(NativeError) -> CalibrationReport {
        precondition(image.size == camera.imageSize, "the image and the camera disagree on the image size")
        let scene = try ScoringScene(points: points, image: image, checker: self)
        var problems: [String] = []
        if !matrix.hasAffineBottomRow() {
            problems.append("the bottom row is \(matrix.rows[3]), not 0 0 0 1: not a rigid transform")
        }
        let linear = matrix.linearPart
        if !linear.isRotation(tolerance: 1e-3) {
            problems.append(
                String(
                    format: "the 3×3 part is not a rotation (orthonormality error %.3g, determinant %.4f)",
                    linear.orthonormalityError, linear.determinant))
        }
        var candidates: [CalibrationReport.Candidate] = []
        let readings: [(CalibrationMistake?, ExtrinsicMatrix?)] =
            [(nil, matrix)] + CalibrationMistake.allCases.map { ($0, $0.corrected(matrix)) }
        for (mistake, reading) in readings {
            guard let transform = reading?.rigidTransform() else { continue }
            var trial = camera
            trial.cameraFromLidar = outer * transform
            candidates.append(
                .init(mistake: mistake, cameraFromLidar: trial.cameraFromLidar, score: scene.score(trial)))
        }
        candidates.sort { $0.score.value > $1.score.value }
        let asGiven = candidates.first { $0.mistake == nil }
        var suspected: CalibrationMistake?
        if let best = candidates.first, let mistake = best.mistake {
            let given = asGiven?.score.value ?? 0
            if best.score.value > 0, best.score.value >= clearMargin * given { suspected = mistake }
        }
        return CalibrationReport(
            camera: camera.name, matrixProblems: problems, asGiven: asGiven, candidates: candidates,
            suspectedMistake: suspected)
    }

    /// Scores every camera's image with every camera's extrinsic (intrinsics and image size stay the
    /// image's own camera's). Entry [i][j] is camera i's image seen through camera j's extrinsic.
    func crossScores(cameras: [Camera], images: [RGBImage], points: PointCloud) throws(NativeError)
        -> [[CalibrationScore]]
    {
        precondition(cameras.count == images.count, "one image per camera")
        var scores: [[CalibrationScore]] = []
        for (camera, image) in zip(cameras, images) {
            let scene = try ScoringScene(points: points, image: image, checker: self)
            scores.append(
                cameras.map { other in
                    var trial = camera
                    trial.cameraFromLidar = other.cameraFromLidar
                    return scene.score(trial)
                })
        }
        return scores
    }

    /// Pairs of cameras (by index) whose extrinsics fit each other's images clearly better than their own.
    public func swappedCameras(cameras: [Camera], images: [RGBImage], points: PointCloud) throws(NativeError) -> [(
        Int, Int
    )] {
        let scores = try crossScores(cameras: cameras, images: images, points: points)
        var pairs: [(Int, Int)] = []
        for i in cameras.indices {
            for j in cameras.indices where j > i {
                let asGiven = scores[i][i].value + scores[j][j].value
                let swapped = scores[i][j].value + scores[j][i].value
                if swapped > 0, swapped >= clearMargin * asGiven { pairs.append((i, j)) }
            }
        }
        return pairs
    }
}

/// What scoring needs from one sweep and image, prepared once for all candidates.
struct ScoringScene {
    let finiteCount: Int
    let points: PointCloud
    let edgePoints: PointCloud
    /// Every few points that are not edges, for the background alignment.
    let backgroundPoints: PointCloud
    let edgeMap: EdgeDistanceMap
    let checker: CalibrationChecker
    /// Grey value (0-255) per pixel, and each point's intensity bin (nil without intensity).
    let grey: [UInt8]
    let imageSize: ImageSize
    let intensityBins: [UInt8]?

    init(points: PointCloud, image: RGBImage, checker: CalibrationChecker) throws(NativeError) {
        self.points = points
        imageSize = image.size
        grey = (0..<image.size.pixelCount).map { index in
            let red = 299 * Int(image.pixels[3 * index])
            let green = 587 * Int(image.pixels[3 * index + 1])
            let blue = 114 * Int(image.pixels[3 * index + 2])
            return UInt8((red + green + blue) / 1000)
        }
        intensityBins = points.attributes.intensity.map(Self.histogramBins)
        finiteCount = points.count - points.nonFiniteCount
        let edges = LidarDepthEdges.indices(in: points)
        edgePoints = points.subset(edges)
        let edgeSet = Set(edges)
        backgroundPoints = points.subset(stride(from: 0, to: points.count, by: 5).filter { !edgeSet.contains($0) })
        edgeMap = try EdgeDistanceMap(
            image: image, lowThreshold: checker.cannyThresholds.low, highThreshold: checker.cannyThresholds.high)
        self.checker = checker
    }

    func score(_ camera: Camera) -> CalibrationScore {
        let projected = camera.project(points)
        let inImage = projected.insideImageCount
        let information = intensityBins.map { mutualInformation(projected, bins: $0) } ?? 0
        let (edgeCount, edgeAlignment) = alignment(of: edgePoints, in: camera)
        let (_, backgroundAlignment) = alignment(of: backgroundPoints, in: camera)
        let judgeable = edgeCount >= checker.minimumEdgePoints && edgeMap.edgeCount > 0
        return CalibrationScore(
            pointsInImageShare: finiteCount > 0 ? Double(inImage) / Double(finiteCount) : 0,
            edgePointsInImage: edgeCount, edgeAlignment: edgeAlignment,
            backgroundAlignment: backgroundAlignment, intensityInformation: information,
            value: judgeable ? max(0, edgeAlignment - backgroundAlignment) + information : 0)
    }

    static let binCount = 32

    /// Intensities ranked into `binCount` equally filled bins (robust to each sensor's intensity scale).
    static func histogramBins(_ intensities: [Float]) -> [UInt8] {
        let finite = intensities.filter(\.isFinite).sorted()
        guard !finite.isEmpty else { return [UInt8](repeating: 0, count: intensities.count) }
        let edges = (1..<binCount).map { finite[$0 * finite.count / binCount] }
        return intensities.map { value in
            var bin = 0
            while bin < edges.count, value >= edges[bin] { bin += 1 }
            return UInt8(bin)
        }
    }

    private func mutualInformation(_ projected: ProjectedPoints, bins: [UInt8]) -> Double {
        let n = Self.binCount
        var joint = [Double](repeating: 0, count: n * n)
        var total = 0.0
        for index in projected.indicesInsideImage {
            let (column, row) = imageSize.nearestPixel(u: projected.u[index], v: projected.v[index])
            let greyBin = Int(grey[row * imageSize.width + column]) * n / 256
            joint[Int(bins[index]) * n + greyBin] += 1
            total += 1
        }
        guard total > 0 else { return 0 }
        var rows = [Double](repeating: 0, count: n)
        var columns = [Double](repeating: 0, count: n)
        for i in 0..<n {
            for j in 0..<n {
                rows[i] += joint[i * n + j]
                columns[j] += joint[i * n + j]
            }
        }
        var information = 0.0
        for i in 0..<n {
            for j in 0..<n where joint[i * n + j] > 0 {
                let p = joint[i * n + j] / total
                information += p * log2(p * total * total / (rows[i] * columns[j]))
            }
        }
        return information
    }

    /// How many of `cloud`'s points land on the image, and their mean exp(-d / τ).
    private func alignment(of cloud: PointCloud, in camera: Camera) -> (count: Int, mean: Double) {
        let projected = camera.project(cloud)
        var sum = 0.0
        var count = 0
        for index in projected.indicesInsideImage {
            let distance = Double(edgeMap.distance(u: projected.u[index], v: projected.v[index]))
            sum += exp(-distance / checker.edgeScale)
            count += 1
        }
        return (count, count > 0 ? sum / Double(count) : 0)
    }
}
