import Foundation
import FusionCalibration
import FusionGeometry
import FusionIO
import FusionTracking

/// Tracking on KITTI tracking files: sequence maps, detection files in either KITTI layout, the
/// trackers, and result rows in KITTI's tracking format (with the 2D boxes its evaluation needs).
public enum KITTITrackingRun {
    /// One line of a KITTI sequence map (`evaluate_tracking.seqmap`): `0001 empty 000000 000447`.
    public struct SequenceEntry: Sendable, Equatable {
        public var name: String
        public var frames: ClosedRange<Int>
    }

    /// How the whole sequence is tracked.
    public enum Mode: String, Sendable, CaseIterable {
        /// Frame by frame, as a car would (AB3DMOT).
        case online
        /// With the whole sequence known: smoothed, gap-filled, stitched (`OfflineTracker`).
        case offline
    }

    /// Reads a sequence map.
    /// - Throws: `ReadError` with the line for a malformed entry.
    public static func readSequenceMap(contentsOf path: String) throws(ReadError) -> [SequenceEntry] {
        try parseSequenceMap(try FileAccess.text(of: path), file: path)
    }

    /// Parses the text of a sequence map; `file` names it in errors.
    /// - Throws: `ReadError` with the line for a malformed entry.
    public static func parseSequenceMap(_ text: String, file path: String = "<memory>") throws(ReadError)
        -> [SequenceEntry]
    {
        var entries: [SequenceEntry] = []
        for (number, line) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let fields = line.split(whereSeparator: \.isWhitespace)
            guard !fields.isEmpty else { continue }
            guard fields.count == 4, let first = Int(fields[2]), let last = Int(fields[3]), first >= 0, last >= first,
                last < 1_000_000,
                !fields[0].contains("/")
            else {
                throw ReadError(
                    file: path, location: .line(number + 1),
                    message: "expected `name kind first last` with 0 ≤ first ≤ last")
            }
            entries.append(SequenceEntry(name: String(fields[0]), frames: first...last))
        }
        return entries
    }

    /// The detections of a sequence, per frame from 0 to its last frame, read from
    /// `folder/<name>.txt` (KITTI tracking rows with scores; track ids are ignored) or, if that
    /// is missing, `folder/<name>/<frame, six digits>.txt` (KITTI object rows with scores; a
    /// missing frame file means no detections).
    public static func detections(in folder: String, sequence: SequenceEntry) throws(ReadError) -> [[KITTIObject]] {
        var frames = [[KITTIObject]](repeating: [], count: sequence.frames.upperBound + 1)
        let trackingFile = "\(folder)/\(sequence.name).txt"
        if FileManager.default.fileExists(atPath: trackingFile) {
            for row in try KITTITrackedObject.read(contentsOf: trackingFile) {
                guard row.frame < frames.count else {
                    throw ReadError(
                        file: trackingFile, location: .file,
                        message:
                            "frame \(row.frame) is beyond the sequence map's last frame \(sequence.frames.upperBound)")
                }
                frames[row.frame].append(row.object)
            }
            return frames
        }
        for frame in sequence.frames {
            let name = String(repeating: "0", count: max(0, 6 - String(frame).count)) + String(frame)
            let path = "\(folder)/\(sequence.name)/\(name).txt"
            if FileManager.default.fileExists(atPath: path) { frames[frame] = try KITTIObject.read(contentsOf: path) }
        }
        return frames
    }

    /// Tracks one sequence's detections and returns KITTI tracking result rows, in the rectified
    /// camera frame, each with its track's mean score, `alpha` from the box, and the 2D box of its
    /// projection by `P2` clipped to `imageSize`.
    public static func track(
        _ detections: [[KITTIObject]], calibration: KITTICalibration, mode: Mode,
        imageSize: ImageSize = ImageSize(width: 1242, height: 375)
    ) -> [KITTITrackedObject] {
        let frames = detections.map { objects in
            objects.filter { !$0.isDontCare && $0.box.size.isValid }.map {
                Detection(box: $0.box.cuboidInForwardLeftUpAxes, score: $0.score ?? 1, objectClass: $0.type)
            }
        }
        let tracked: [[TrackedBox]]
        switch mode {
        case .online:
            var tracker = OnlineTracker()
            tracked = frames.enumerated().map { tracker.update(frame: $0.offset, detections: $0.element) }
        case .offline:
            tracked = OfflineTracker().track(frames)
        }
        var rows: [KITTITrackedObject] = []
        for (frame, boxes) in tracked.enumerated() {
            for tracked in boxes {
                let box = KITTIBox3D(forwardLeftUpCuboid: tracked.box)
                rows.append(
                    KITTITrackedObject(
                        frame: frame, trackID: tracked.trackID,
                        object: KITTIObject(
                            type: tracked.objectClass, truncated: 0, occluded: 0, alpha: box.observationAngle,
                            imageBox: imageBox(
                                of: box, projection: calibration.leftColorProjection, imageSize: imageSize),
                            box: box, score: tracked.meanScore)))
            }
        }
        return rows
    }

    /// The rectangle around the projected corners in front of the camera, clipped to the image;
    /// an empty rectangle at the origin when no corner is in front.
    public static func imageBox(of box: KITTIBox3D, projection: Matrix3x4, imageSize: ImageSize) -> PixelRectangle {
        let pixels = box.cuboidInRectifiedCamera.corners.compactMap { corner -> SIMD2<Double>? in
            let projected = projection.applied(to: corner)
            return projected.z > 0.1 ? SIMD2(projected.x / projected.z, projected.y / projected.z) : nil
        }
        guard !pixels.isEmpty else { return PixelRectangle(left: 0, top: 0, right: 0, bottom: 0) }
        func clip(_ value: Double, _ limit: Int) -> Double { min(max(value, 0), Double(limit - 1)) }
        return PixelRectangle(
            left: clip(pixels.map(\.x).min()!, imageSize.width), top: clip(pixels.map(\.y).min()!, imageSize.height),
            right: clip(pixels.map(\.x).max()!, imageSize.width), bottom: clip(pixels.map(\.y).max()!, imageSize.height)
        )
    }
}

extension KITTITrackingRun {
    /// Tracking result rows as OpenLABEL: one object per track (uid = track id), its cuboid per
    /// frame in the `camera` coordinate system's forward-left-up axes (x = camera z, y = −camera x,
    /// z = −camera y), with the track's score.
    public static func openLABEL(_ rows: [KITTITrackedObject], sequence: String) -> OpenLABELDocument {
        var document = OpenLABELDocument(
            metadata: .init(
                name: "tracks of KITTI sequence \(sequence)", annotator: "FusionLabel tracking",
                comment: "Cuboids in the rectified camera frame with axes x forward, y left, z up."),
            coordinateSystems: ["camera": .init(type: "sensor_cs")])
        for row in rows {
            let uid = String(row.trackID)
            document.objects[uid] = .init(name: "\(row.object.type.lowercased())-\(row.trackID)", type: row.object.type)
            var frame = document.frames[row.frame] ?? .init()
            frame.objects[uid] = [
                .init(
                    coordinateSystem: "camera", cuboid: row.object.box.cuboidInForwardLeftUpAxes,
                    attributes: .init(numbers: ["score": row.object.score ?? 1]))
            ]
            document.frames[row.frame] = frame
        }
        return document
    }
}
