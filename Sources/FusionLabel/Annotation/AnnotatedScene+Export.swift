import Foundation
import FusionIO
import FusionQA
import FusionSupport

extension AnnotatedScene {
    /// The labels as one OpenLABEL document: one object per track (uid = track id; untracked
    /// proposals numbered after the tracks), frame numbers the scene's frame indices with their timestamps, cuboids in
    /// the `lidar` coordinate system. Each cuboid carries: `confidence`, `points`, `track_id`,
    /// `ground_height`; per camera `truncation_<camera>`, `visible_<camera>` and, in view,
    /// `image_box_<camera>_left|top|right|bottom` (pixels); `occlusion` (the smallest hidden share
    /// over the cameras that see it); when a proposal matched, its class probabilities `p_<class>`
    /// and fit (`fit_length|width|height`, `fit_residual`, what `learn-priors` learns from); texts
    /// `flags`, `origin` and the frame's provenance (`algorithm`, `engine_version`,
    /// `parameter_hash`, `input_sha256`).
    public func openLABEL() -> OpenLABELDocument {
        var document = OpenLABELDocument(
            metadata: .init(
                name: "annotation of \(name)", annotator: "FusionLabel annotate \(FusionLabelVersion.current)",
                comment: "Tracked pre-labels: judge and correct. Cuboids in the LiDAR frame (x forward, y left, z up); "
                    + "image boxes in pixels of each camera; flags say where to look."),
            coordinateSystems: ["lidar": .init(type: "sensor_cs")])
        for frame in frames {
            var labelled = OpenLABELDocument.Frame(timestamp: frame.timestamp)
            for object in frame.objects {
                document.objects[object.uid] = .init(
                    name: "\(object.kind?.rawValue ?? "unsure")-\(object.uid)",
                    type: AnnotationChecks.className(object.kind))
                labelled.objects[object.uid] = [
                    .init(
                        coordinateSystem: "lidar", cuboid: object.cuboid, attributes: attributes(of: object, in: frame))
                ]
            }
            document.frames[frame.index] = labelled
        }
        return document
    }

    private func attributes(of object: Object, in frame: Frame) -> OpenLABELDocument.Attributes {
        var attributes = OpenLABELDocument.Attributes(
            numbers: ["confidence": object.confidence, "points": Double(object.points)],
            texts: [
                "origin": "prelabel", "algorithm": frame.provenance.algorithm,
                "engine_version": frame.provenance.engineVersion,
                "parameter_hash": frame.provenance.parameterHash, "input_sha256": frame.provenance.inputHash
            ])
        if let trackID = object.trackID { attributes.numbers["track_id"] = Double(trackID) }
        if let ground = object.groundHeight { attributes.numbers["ground_height"] = ground }
        // `flags` ask a reviewer to look; `notes` describe the view (`Flag.asksForReview`).
        let review = object.flags.filter(\.asksForReview)
        let notes = object.flags.filter { !$0.asksForReview }
        if !review.isEmpty { attributes.texts["flags"] = review.map(\.rawValue).joined(separator: ",") }
        if !notes.isEmpty { attributes.texts["notes"] = notes.map(\.rawValue).joined(separator: ",") }
        var hidden: [Double] = []
        for view in object.views {
            attributes.numbers["truncation_" + view.camera] = view.truncation
            attributes.numbers["visible_" + view.camera] = view.visibleFraction
            guard let box = view.imageBox else { continue }
            hidden.append(1 - view.visibleFraction)
            for (side, value) in [("left", box.left), ("top", box.top), ("right", box.right), ("bottom", box.bottom)] {
                attributes.numbers["image_box_\(view.camera)_\(side)"] = value
            }
        }
        if let occlusion = hidden.min() { attributes.numbers["occlusion"] = occlusion }
        if let proposal = object.proposal {
            let fit = proposal.fit
            for (key, value) in [
                ("fit_length", fit.cuboid.size.length), ("fit_width", fit.cuboid.size.width),
                ("fit_height", fit.cuboid.size.height),
                ("fit_residual", fit.residual)
            ] {
                attributes.numbers[key] = value
            }
            for (kind, probability) in proposal.classProbabilities {
                attributes.numbers["p_\(kind.rawValue)"] = probability
            }
        }
        return attributes
    }

    /// The labels one camera sees as KITTI tracking rows (`label_02` layout: frame, track id, type,
    /// truncated, occluded, alpha, 2D box, 3D box in that camera's frame, score). Frames are
    /// numbered by their position in the scene; untracked proposals are left out (KITTI rows need a
    /// track id) and unsure tracks are written as `Misc`.
    public func kittiTracking(camera name: String) -> [KITTITrackedObject] {
        guard let cameraIndex = cameras.firstIndex(of: name) else { return [] }
        let cameraFromLidar = rig.cameras[cameraIndex].cameraFromLidar
        var rows: [KITTITrackedObject] = []
        for (position, frame) in frames.enumerated() {
            for object in frame.objects {
                let view = object.views[cameraIndex]
                guard let trackID = object.trackID, let imageBox = view.imageBox else { continue }
                let box = KITTIBox3D(cuboid: object.cuboid, rectifiedCameraFromLidar: cameraFromLidar)
                let center = object.cuboid.transformed(by: cameraFromLidar).center
                let alpha = box.rotationY - atan2(center.x, center.z)
                rows.append(
                    KITTITrackedObject(
                        frame: position, trackID: trackID,
                        object: KITTIObject(
                            type: object.kind?.kittiName ?? "Misc", truncated: view.truncation,
                            occluded: view.kittiOcclusion,
                            alpha: atan2(sin(alpha), cos(alpha)), imageBox: imageBox, box: box, score: object.confidence
                        )))
            }
        }
        return rows
    }

    /// One audit entry per label, as the system actor that proposed it: action `prelabel`, the box
    /// as proposed, the flags as the reason. Label ids are "<scene>/<frame index>/<uid>".
    public func auditDrafts(actor: String = "fusionlabel annotate") -> [AuditEntry.Draft] {
        frames.flatMap { frame in
            frame.objects.map { object in
                AuditEntry.Draft(
                    actor: actor, role: .system, labelID: "\(name)/\(frame.index)/\(object.uid)", action: "prelabel",
                    after: object.cuboid,
                    reason: object.flags.isEmpty
                        ? nil : "flags: " + object.flags.map(\.rawValue).joined(separator: ","),
                    guidelineVersion: report.guidelineVersion)
            }
        }
    }
}
