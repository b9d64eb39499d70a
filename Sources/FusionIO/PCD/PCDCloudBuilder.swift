import FusionGeometry

/// Turns the fields of a PCD header into a `PointCloud`: which field is a coordinate, which a known
/// attribute, which an extra scalar.
enum PCDCloudBuilder {
    /// What a PCD field becomes in a `PointCloud`.
    enum Role: Equatable {
        case x, y, z, intensity, ring, time
        /// Packed colour; `hasAlpha` for `rgba`.
        case color(hasAlpha: Bool)
        /// Kept under its name (with `.k` per element when the field has several).
        case scalar
        case padding
    }

    static func role(of field: PCDHeader.Field) -> Role {
        if field.isPadding || field.count == 0 { return .padding }
        guard field.count == 1 else { return .scalar }
        let isFloat = field.type == .float32 || field.type == .float64
        switch field.name {
        case "x": return .x
        case "y": return .y
        case "z": return .z
        case "intensity": return .intensity
        case "ring" where !isFloat && field.type.size <= 2: return .ring
        case "time" where isFloat, "timestamp" where isFloat: return .time
        case "rgb" where field.type.size == 4: return .color(hasAlpha: false)
        case "rgba" where field.type.size == 4: return .color(hasAlpha: true)
        default: return .scalar
        }
    }

    static func cloud(from columns: some PCDColumnSource, header: PCDHeader, file: String) throws(ReadError)
        -> PointCloud
    {
        var x: [Float]?
        var y: [Float]?
        var z: [Float]?
        var attributes = PointAttributes()
        var seen: Set<String> = []
        for (index, field) in header.fields.enumerated() {
            let role = role(of: field)
            if role == .padding { continue }
            guard seen.insert(field.name).inserted else {
                throw ReadError(file: file, location: .file, message: "field \(field.name) appears twice in FIELDS")
            }
            switch role {
            case .x: x = columns.floats(field: index, element: 0)
            case .y: y = columns.floats(field: index, element: 0)
            case .z: z = columns.floats(field: index, element: 0)
            case .intensity: attributes.intensity = columns.floats(field: index, element: 0)
            case .ring: attributes.ring = columns.doubles(field: index, element: 0).map { UInt16(clamping: Int64($0)) }
            case .time: attributes.time = columns.doubles(field: index, element: 0)
            case .color(let hasAlpha):
                attributes.color = columns.bits32(field: index, element: 0).map { packed in
                    hasAlpha ? PointColor(packed: packed) : PointColor(packed: packed | 0xFF00_0000)
                }
            case .scalar:
                for element in 0..<field.count {
                    let name = field.count == 1 ? field.name : "\(field.name).\(element)"
                    attributes.scalars[name] = columns.floats(field: index, element: element)
                }
            case .padding: break
            }
        }
        guard let x, let y, let z else {
            let names = header.fields.map(\.name).joined(separator: " ")
            throw ReadError(
                file: file, location: .file,
                message: "expected fields x, y and z (one element each), found FIELDS \(names)")
        }
        let layout: PointCloud.Layout =
            header.height > 1 ? .organized(width: header.width, height: header.height) : .unorganized
        return PointCloud(x: x, y: y, z: z, attributes: attributes, layout: layout)
    }
}
