extension Cuboid {
    /// The overlap area of the two footprints (`footprint`), in square metres.
    public func footprintIntersectionArea(with other: Cuboid) -> Double {
        // A footprint without area has no inside: clipping by its zero-length edges would keep
        // the whole of the other footprint.
        guard size.length * size.width > 0, other.size.length * other.size.width > 0 else { return 0 }
        return ConvexPolygon.signedArea(ConvexPolygon.intersection(footprint, other.footprint))
    }

    /// Bird's-eye-view IoU: footprint overlap over footprint union, in [0, 1]. Roll and pitch are
    /// ignored (each footprint is the rectangle of its yaw), as in KITTI and nuScenes BEV metrics.
    public func bevIoU(with other: Cuboid) -> Double {
        let intersection = footprintIntersectionArea(with: other)
        let union = size.length * size.width + other.size.length * other.size.width - intersection
        return union > 0 ? min(1, intersection / union) : 0
    }

    /// The exact volume the two boxes share, in cubic metres.
    ///
    /// Upright boxes (rotated about z only) use footprint overlap × height overlap; boxes with any
    /// roll or pitch are intersected as convex polyhedra (one box clipped by the six face planes of
    /// the other).
    public func intersectionVolume(with other: Cuboid) -> Double {
        if isUpright(tolerance: 1e-12) && other.isUpright(tolerance: 1e-12) {
            let heightOverlap =
                min(center.z + size.height / 2, other.center.z + other.size.height / 2)
                - max(center.z - size.height / 2, other.center.z - other.size.height / 2)
            guard heightOverlap > 0 else { return 0 }
            return footprintIntersectionArea(with: other) * heightOverlap
        }
        var solid = ConvexPolyhedron(self)
        let axes = other.rotation.rotationMatrix.transposed  // rows: the box's axes in the parent frame
        let half = other.size.halfExtents
        let scale = max(size.length, size.width, size.height, other.size.length, other.size.width, other.size.height)
        for (axis, extent) in [(axes.row0, half.x), (axes.row1, half.y), (axes.row2, half.z)] {
            for normal in [axis, -axis] {
                solid = solid.clipped(
                    normal: normal, offset: normal.dot(other.center) + extent, tolerance: 1e-12 * scale)
                if solid.faces.isEmpty { return 0 }
            }
        }
        return solid.volume
    }

    /// 3D IoU: shared volume over the union's volume, in [0, 1]. Exact for any rotation.
    public func iou3D(with other: Cuboid) -> Double {
        let intersection = intersectionVolume(with: other)
        let union = size.volume + other.size.volume - intersection
        return union > 0 ? min(1, intersection / union) : 0
    }

    /// 3D generalised IoU in [-1, 1]: `IoU − (C − U) / C`, with U the union's volume and C the
    /// volume of the convex hull of both boxes (the smallest enclosing convex solid, as in the GIoU
    /// paper). Unlike IoU it still ranks disjoint boxes: the further apart, the closer to -1.
    /// For upright boxes spanning the same heights, C is the hull of the two footprints times the
    /// height, the rotated-box GIoU that 3D trackers such as AB3DMOT use.
    public func giou3D(with other: Cuboid) -> Double {
        let intersection = intersectionVolume(with: other)
        let union = size.volume + other.size.volume - intersection
        let enclosing = ConvexHullVolume.of(corners + other.corners)
        guard union > 0, enclosing > 0 else { return 0 }
        return intersection / union - (enclosing - union) / enclosing
    }
}

extension Cuboid {
    /// Whether the footprints may overlap: false when the circles around them (radius half the
    /// footprint's diagonal) are apart, which rules out any overlap without clipping polygons.
    /// A cheap test before `bevIoU`, `iou3D` or `intersectionVolume`.
    public func footprintMayMeet(_ other: Cuboid) -> Bool {
        let reach =
            0.5
            * ((size.length * size.length + size.width * size.width).squareRoot()
                + (other.size.length * other.size.length + other.size.width * other.size.width).squareRoot())
        let dx = center.x - other.center.x
        let dy = center.y - other.center.y
        return dx * dx + dy * dy <= reach * reach
    }
}
