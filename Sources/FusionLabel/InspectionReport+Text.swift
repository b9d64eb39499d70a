import Foundation

extension InspectionReport {
    /// The report as a few lines of text for people.
    public var text: String {
        var lines = ["\(path): \(kind.rawValue)"]
        if let scene {
            lines.append(
                String(
                    format: "  scene %@: %d frames over %.2f s, LiDAR %@, ego poses %@", scene.name, scene.frames,
                    scene.duration, scene.lidar, scene.hasEgoPoses ? "yes" : "no"))
            if !scene.labelFiles.isEmpty { lines.append("  label files: " + scene.labelFiles.joined(separator: ", ")) }
        }
        if let recording {
            if let start = recording.startTime, let end = recording.endTime {
                lines.append(
                    String(
                        format: "  %d file(s), %.3f s, from %.6f to %.6f (log time)", recording.files.count,
                        end - start, start, end))
            }
            for topic in recording.topics {
                var line = String(
                    format: "  %@  %@ (%@)  %d messages  %.2f Hz", topic.topic, topic.type, topic.messageEncoding,
                    topic.messageCount, topic.rate)
                if let decoded = topic.decoded { line += ", \(decoded) decoded" }
                if let points = topic.points { line += ", \(points) points" }
                lines.append(line)
            }
        }
        if let points {
            var line = "  points: \(points.count)"
            if let encoding = points.encoding { line += " (\(encoding))" }
            if let organized = points.organized { line += ", organized \(organized[0])×\(organized[1])" }
            line += ", non-finite: \(points.nonFinite)"
            lines.append(line)
            lines.append(
                "  fields: x y z" + (points.attributes.isEmpty ? "" : " " + points.attributes.joined(separator: " ")))
            for (name, range) in points.attributeRanges.sorted(by: { $0.key < $1.key }) {
                lines.append(
                    name == "time"
                        ? String(format: "  time: %.6f…%.6f s (span %.4f s)", range[0], range[1], range[1] - range[0])
                        : String(format: "  %@: %.6g…%.6g", name, range[0], range[1]))
            }
            if let minimum = points.minimum, let maximum = points.maximum {
                lines.append(
                    String(
                        format: "  bounds: x %.2f…%.2f  y %.2f…%.2f  z %.2f…%.2f m", minimum[0], maximum[0],
                        minimum[1], maximum[1], minimum[2], maximum[2]))
            }
        }
        if let labels {
            var line = "  labels: \(labels.boxes) boxes"
            if let tracks = labels.tracks { line += ", \(tracks) tracks" }
            if let frames = labels.frames { line += ", \(frames) frames" }
            lines.append(line)
            for (type, count) in labels.byClass.sorted(by: { ($0.value, $1.key) > ($1.value, $0.key) }) {
                lines.append("    \(type): \(count)")
            }
        }
        for camera in cameras ?? [] {
            var line = String(
                format: "  camera %@: fx %.1f fy %.1f cx %.1f cy %.1f", camera.name, camera.fx, camera.fy, camera.cx,
                camera.cy)
            if let width = camera.width, let height = camera.height { line += " (\(width)×\(height))" }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }
}
