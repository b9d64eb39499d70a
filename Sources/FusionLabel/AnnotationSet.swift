import Foundation
import FusionIO
import FusionQA

/// One annotator's labels, read from the formats annotators hand in, as boxes per frame.
public enum AnnotationSet {
    /// Reads `path`: an OpenLABEL file (frame numbers as in the file, object uids as ids), a KITTI
    /// tracking label file (`<sequence>.txt`: frame and track id), a folder of KITTI object labels
    /// (`label_2/`: frame = file order, ids by line) or a folder of SUSTech POINTS labels (`label/`:
    /// frame = file order, `obj_id` as id). KITTI boxes are taken in the camera's forward-left-up
    /// axes; compare sets in the same convention.
    /// - Throws: `ReadError` for unreadable or malformed files.
    public static func read(_ path: String) throws -> [Int: [AnnotatedBox]] {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw ReadError(file: path, location: .file, message: "no such file or folder")
        }
        if !isFolder.boolValue {
            if path.hasSuffix(".txt") {
                var frames: [Int: [AnnotatedBox]] = [:]
                for row in try KITTITrackedObject.read(contentsOf: path) where !row.object.isDontCare {
                    frames[row.frame, default: []].append(
                        AnnotatedBox(
                            id: String(row.trackID), objectClass: row.object.type,
                            box: row.object.box.cuboidInForwardLeftUpAxes))
                }
                return frames
            }
            let document = try OpenLABELDocument.read(contentsOf: path)
            return document.frames.mapValues { frame in
                frame.objects.sorted { $0.key < $1.key }.flatMap { uid, labels in
                    labels.map {
                        AnnotatedBox(id: uid, objectClass: document.objects[uid]?.type ?? "unknown", box: $0.cuboid)
                    }
                }
            }
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: path).sorted()
        var frames: [Int: [AnnotatedBox]] = [:]
        if files.contains(where: { $0.hasSuffix(".json") }) {
            for (frame, file) in files.filter({ $0.hasSuffix(".json") }).enumerated() {
                frames[frame] = try SUSTechPOINTS.readLabels(contentsOf: path + "/" + file).map {
                    AnnotatedBox(id: $0.id, objectClass: $0.type, box: $0.cuboid)
                }
            }
        } else {
            for (frame, file) in files.filter({ $0.hasSuffix(".txt") }).enumerated() {
                frames[frame] = try KITTIObject.read(contentsOf: path + "/" + file).enumerated().filter {
                    !$0.element.isDontCare
                }.map {
                    AnnotatedBox(
                        id: String($0.offset), objectClass: $0.element.type,
                        box: $0.element.box.cuboidInForwardLeftUpAxes)
                }
            }
        }
        return frames
    }
}
