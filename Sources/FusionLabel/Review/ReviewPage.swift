import Foundation
import FusionCalibration
import FusionGeometry
import FusionIO
import FusionQA

/// A static, offline review page for a scene's labels: `index.html`, the scene's outline in
/// `review-data.js` (cameras, classes, findings, the frames' list) and each frame's points and
/// boxes in `frames/<index>.js`, loaded when the frame is shown (so a long scene opens as fast as
/// a short one), its camera images under `images/`, and, when Debian's `libjs-three` is
/// installed, three.js next to them for a 3D view. No server and no network: open the file in a
/// browser. It shows a bird's-eye view and every camera with the cuboids drawn (wireframes
/// projected here, through each camera's lens), a frame slider, the labels of the frame with
/// their track ids and flags, and the guideline findings; clicking a label or a finding selects
/// it in every view.
public struct ReviewPage: Sendable {
    /// At most this many LiDAR points per frame go into the page (every n-th, so the page stays
    /// light); the boxes are all drawn whatever this is.
    public var maximumPointsPerFrame = 30_000
    /// Where three.js is looked for (Debian's `libjs-three`): `three.min.js` and
    /// `examples/js/controls/OrbitControls.js` are copied next to the page.
    var threeJSFolder = "/usr/share/javascript/three"

    public init() {}

    /// What the page was made of.
    public struct Summary: Sendable, Equatable {
        public var frames: Int
        /// Labels drawn, over all frames.
        public var labels: Int
        public var findings: Int
        /// Whether three.js was found and the 3D view is on the page.
        public var has3DView: Bool
    }

    /// Writes the page for `labels` (cuboids in the scene's LiDAR frame; OpenLABEL frame numbers
    /// are the scene's frame indices) into `folder`, created if needed; every file atomically.
    /// - Parameter findings: guideline findings to list (label ids "<frame index>/<uid>", as
    ///   `fusionlabel annotate` and `qa` write them).
    /// - Throws: `ReadError` for unreadable scene files, `CalibrationError` for unusable cameras,
    ///   `WriteError` for unwritable output.
    @discardableResult
    public func write(scene sceneFolder: String, labels: OpenLABELDocument, findings: [Finding] = [], to folder: String)
        throws -> Summary
    {
        let scene = try Scene.open(sceneFolder)
        let rig = try CameraRig(scene: scene.manifest)
        do {
            for subfolder in ["images", "frames"] {
                try FileManager.default.createDirectory(
                    atPath: folder + "/" + subfolder, withIntermediateDirectories: true)
            }
        } catch {
            throw WriteError(file: folder, message: "cannot create the page's folders: \(error.localizedDescription)")
        }
        var outline = ReviewData(
            scene: scene.manifest.name,
            cameras: rig.cameras.map { .init(name: $0.name, width: $0.imageSize.width, height: $0.imageSize.height) },
            frames: [], findings: findings.map(ReviewData.Finding.init), classes: [:])
        for (position, frame) in scene.manifest.frames.enumerated() {
            let sweep = try scene.lidarSweep(of: frame)
            var images: [String: String] = [:]
            for camera in rig.cameras {
                guard let relative = frame.images[camera.name] else { continue }
                let source = try scene.resolve(relative)
                let name = String(
                    format: "images/%06d-%@.%@", frame.index, camera.name,
                    URL(fileURLWithPath: source).pathExtension.lowercased())
                try FileAccess.writeAtomically(try FileAccess.contents(of: source), to: folder + "/" + name)
                images[camera.name] = name
            }
            var objects: [ReviewData.Object] = []
            for (uid, boxes) in (labels.frames[frame.index]?.objects ?? [:]).sorted(by: {
                Self.uidOrder($0.key, $1.key)
            }) {
                for label in boxes {
                    let type = labels.objects[uid]?.type ?? "Unknown"
                    outline.classes[type] = Self.hexColor(LabeledBox.color(forClass: type))
                    objects.append(.init(uid: uid, type: type, label: label, cameras: rig.cameras))
                }
            }
            let file = String(format: "frames/%06d.js", frame.index)
            let content = ReviewData.FrameContent(
                images: images, points: Self.sampledPoints(sweep, maximum: maximumPointsPerFrame), objects: objects)
            try Self.writeScript("window.REVIEW_FRAMES[\(position)] = ", content, to: folder + "/" + file)
            outline.frames.append(
                .init(index: frame.index, timestamp: frame.timestamp, file: file, labels: objects.count))
        }
        try Self.writeScript("window.REVIEW_DATA = ", outline, to: folder + "/review-data.js")
        var has3D = false
        let three = threeJSFolder + "/three.min.js"
        let orbit = threeJSFolder + "/examples/js/controls/OrbitControls.js"
        if FileManager.default.isReadableFile(atPath: three), FileManager.default.isReadableFile(atPath: orbit) {
            try FileAccess.writeAtomically(try FileAccess.contents(of: three), to: folder + "/three.min.js")
            try FileAccess.writeAtomically(try FileAccess.contents(of: orbit), to: folder + "/OrbitControls.js")
            has3D = true
        }
        try FileAccess.writeAtomically(
            Data(ReviewPageTemplate.html(title: scene.manifest.name, with3D: has3D).utf8), to: folder + "/index.html")
        return Summary(
            frames: outline.frames.count, labels: outline.frames.map(\.labels).reduce(0, +), findings: findings.count,
            has3DView: has3D)
    }

    /// `prefix` followed by `value` as compact JSON (keys sorted) and a semicolon: a script that
    /// hands the page its data (scripts load from disk where `fetch` may not).
    static func writeScript(_ prefix: String, _ value: some Encodable, to path: String) throws(WriteError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let json: Data
        do { json = try encoder.encode(value) } catch {
            throw WriteError(file: path, message: "cannot encode the page's data: \(error)")
        }
        try FileAccess.writeAtomically(Data(prefix.utf8) + json + Data(";\n".utf8), to: path)
    }

    /// Numeric uids in number order, others after them by text.
    static func uidOrder(_ a: String, _ b: String) -> Bool {
        switch (Int(a), Int(b)) {
        case (let x?, let y?): x < y
        case (_?, nil): true
        case (nil, _?): false
        default: a < b
        }
    }

    /// Every n-th finite point (n the smallest that keeps at most `maximum`), x y z flattened,
    /// rounded to centimetres.
    static func sampledPoints(_ sweep: PointCloud, maximum: Int) -> [Double] {
        let stride = max(1, (sweep.count + maximum - 1) / max(1, maximum))
        var flat: [Double] = []
        flat.reserveCapacity(3 * min(sweep.count, maximum))
        for index in Swift.stride(from: 0, to: sweep.count, by: stride) {
            let point = sweep[index]
            guard point.x.isFinite, point.y.isFinite, point.z.isFinite else { continue }
            flat += [
                ReviewData.rounded(Double(point.x), 100), ReviewData.rounded(Double(point.y), 100),
                ReviewData.rounded(Double(point.z), 100)
            ]
        }
        return flat
    }

    static func hexColor(_ color: SIMD3<UInt8>) -> String {
        String(format: "#%02x%02x%02x", color.x, color.y, color.z)
    }
}

/// What the page's script reads: the outline (`window.REVIEW_DATA`) and each frame's content
/// (`window.REVIEW_FRAMES[position]`).
struct ReviewData: Encodable {
    struct CameraInfo: Encodable {
        var name: String
        var width: Int
        var height: Int
    }

    struct Object: Encodable {
        var uid: String
        var type: String
        var track: String?
        var confidence: Double?
        var flags: [String]
        /// Descriptive flags (seen in part, occluded, ...): shown, but not counted as asking for review.
        var notes: [String]
        /// The 8 corners (`Cuboid.corners` order), LiDAR frame, centimetres.
        var corners: [[Double]]
        /// Per camera whose image shows any of it: the wireframe as polylines `[x0, y0, x1, y1, ...]`, pixels
        /// (a distorting lens bends edges into many pieces; consecutive pieces are joined).
        var views: [String: [[Double]]]

        init(uid: String, type: String, label: OpenLABELDocument.CuboidLabel, cameras: [Camera]) {
            self.uid = uid
            self.type = type
            let numbers = label.attributes.numbers
            track = numbers["track_id"].map { String(Int($0)) }
            confidence = numbers["confidence"].map { ReviewData.rounded($0, 1000) }
            flags = label.attributes.texts["flags"].map { $0.split(separator: ",").map(String.init) } ?? []
            notes = label.attributes.texts["notes"].map { $0.split(separator: ",").map(String.init) } ?? []
            corners = label.cuboid.corners.map {
                [ReviewData.rounded($0.x, 100), ReviewData.rounded($0.y, 100), ReviewData.rounded($0.z, 100)]
            }
            var views: [String: [[Double]]] = [:]
            for camera in cameras {
                let projected = camera.project(label.cuboid)
                guard projected.isInImage else { continue }
                let segments = projected.segments
                var polylines: [[Double]] = []
                var last: SIMD2<Double>?
                for segment in segments {
                    if segment.start != last || polylines.isEmpty {
                        polylines.append([
                            ReviewData.rounded(segment.start.x, 10), ReviewData.rounded(segment.start.y, 10)
                        ])
                    }
                    polylines[polylines.count - 1] += [
                        ReviewData.rounded(segment.end.x, 10), ReviewData.rounded(segment.end.y, 10)
                    ]
                    last = segment.end
                }
                views[camera.name] = polylines
            }
            self.views = views
        }
    }

    /// A frame in the outline: what the slider shows and where its content is.
    struct Frame: Encodable {
        var index: Int
        var timestamp: Double
        /// The script holding its `FrameContent`.
        var file: String
        var labels: Int
    }

    /// What `frames/<index>.js` holds.
    struct FrameContent: Encodable {
        var images: [String: String]
        /// x y z of the sampled points, flattened, LiDAR frame.
        var points: [Double]
        var objects: [Object]
    }

    struct Finding: Encodable {
        var frame: Int
        var uid: String
        var rule: String
        var severity: String
        var message: String

        init(_ finding: FusionQA.Finding) {
            frame = finding.frame
            uid = finding.labelID.split(separator: "/").last.map(String.init) ?? finding.labelID
            rule = finding.rule.rawValue
            severity = finding.severity.rawValue
            message = finding.message
        }
    }

    var scene: String
    var cameras: [CameraInfo]
    var frames: [Frame]
    var findings: [Finding]
    /// Class name → colour, as the renders use.
    var classes: [String: String]

    static func rounded(_ value: Double, _ scale: Double) -> Double {
        (value * scale).rounded() / scale
    }
}
