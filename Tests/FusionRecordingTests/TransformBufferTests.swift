import Foundation
import FusionGeometry
import Testing

@testable import FusionRecording

@Suite struct TransformBufferTests {
    static let second: Int64 = 1_000_000_000
    static let t0: Int64 = 1_700_000_000 * second

    /// base_link on a yawing, moving odometry; velodyne fixed on base_link; camera fixed on velodyne.
    static func buffer() throws -> TransformBuffer {
        var buffer = TransformBuffer()
        let velodyne = RigidTransform(translation: SIMD3(0.8, 0, 1.73))
        // The camera looks along the LiDAR's x from 0.3 m ahead, 0.1 m lower: x right, y down, z forward.
        let cameraAxes = Matrix3x3(rows: SIMD3(0, -1, 0), SIMD3(0, 0, -1), SIMD3(1, 0, 0))
        let camera = RigidTransform(
            rotation: UnitQuaternion(rotationMatrix: cameraAxes).inverse, translation: SIMD3(0.3, 0, -0.1))
        try buffer.add(
            RecordedTransform(parent: "base_link", child: "velodyne", stampNanoseconds: 0, parentFromChild: velodyne),
            isStatic: true)
        try buffer.add(
            RecordedTransform(parent: "/velodyne", child: "camera", stampNanoseconds: 0, parentFromChild: camera),
            isStatic: true)
        // Added out of order: finish() sorts.
        for step in [2, 0, 1] {
            let pose = RigidTransform(
                rotation: UnitQuaternion(yaw: 0.2 * Double(step)), translation: SIMD3(Double(step), 0, 0))
            try buffer.add(
                RecordedTransform(
                    parent: "odom", child: "base_link", stampNanoseconds: t0 + Int64(step) * second,
                    parentFromChild: pose), isStatic: false)
        }
        try buffer.finish()
        return buffer
    }

    func largestDifference(_ a: SIMD3<Double>, _ b: SIMD3<Double>) -> Double {
        let difference = a - b
        return max(abs(difference.x), abs(difference.y), abs(difference.z))
    }

    @Test func composesStaticEdgesInBothDirections() throws {
        let buffer = try Self.buffer()
        let cameraFromVelodyne = try buffer.transform(to: "camera", from: "velodyne", at: Self.t0)
        let velodyneFromCamera = try buffer.transform(to: "velodyne", from: "camera", at: Self.t0)
        let point = SIMD3(3.0, -1.0, 0.5)
        let roundTrip = velodyneFromCamera.apply(to: cameraFromVelodyne.apply(to: point))
        #expect(largestDifference(roundTrip, point) < 1e-12)
        // A point straight ahead of the LiDAR is on the camera's optical axis (z forward) after the offset.
        let ahead = cameraFromVelodyne.apply(to: SIMD3(10.3, 0, -0.1))
        #expect(largestDifference(ahead, SIMD3(0, 0, 10)) < 1e-12)
    }

    @Test func interpolatesBetweenSamplesAndNeverExtrapolates() throws {
        let buffer = try Self.buffer()
        // Halfway between 1 s and 2 s: x = 1.5, yaw = 0.3; the LiDAR sits 0.8 m ahead of base_link.
        let odomFromVelodyne = try buffer.transform(to: "odom", from: "velodyne", at: Self.t0 + Self.second * 3 / 2)
        #expect(abs(odomFromVelodyne.rotation.yaw - 0.3) < 1e-12)
        let expected = SIMD3(1.5 + 0.8 * cos(0.3), 0.8 * sin(0.3), 1.73)
        #expect(largestDifference(odomFromVelodyne.translation, expected) < 1e-12)
        // One nanosecond apart resolves: the time is not blurred through Double seconds.
        let a = try buffer.transform(to: "odom", from: "base_link", at: Self.t0 + 1)
        #expect(abs(a.translation.x - 1e-9) < 1e-15)
        #expect(throws: TransformError.self) { try buffer.transform(to: "odom", from: "velodyne", at: Self.t0 - 1) }
        #expect {
            try buffer.transform(to: "odom", from: "velodyne", at: Self.t0 + 2 * Self.second + 1)
        } throws: { error in
            "\(error)".contains("\"odom\" → \"base_link\" is known from") && "\(error)".contains("no extrapolation")
        }
        // Exactly at the last sample is known.
        #expect(try buffer.transform(to: "odom", from: "base_link", at: Self.t0 + 2 * Self.second).translation.x == 2)
    }

    @Test func unknownAndUnconnectedFramesAreNamed() throws {
        var buffer = try Self.buffer()
        #expect {
            try buffer.transform(to: "camera", from: "radar", at: Self.t0)
        } throws: { error in
            "\(error)".contains("no frame \"radar\"")
        }
        try buffer.add(
            RecordedTransform(parent: "map", child: "gps", stampNanoseconds: 0, parentFromChild: .identity),
            isStatic: true)
        #expect {
            try buffer.transform(to: "gps", from: "camera", at: Self.t0)
        } throws: { error in
            "\(error)".contains("not connected") && "\(error)".contains("\"odom\"") && "\(error)".contains("\"map\"")
        }
    }

    @Test func twoParentsAndLoopsAreRefused() throws {
        var buffer = try Self.buffer()
        #expect {
            try buffer.add(
                RecordedTransform(parent: "map", child: "velodyne", stampNanoseconds: 0, parentFromChild: .identity),
                isStatic: true)
        } throws: { error in
            "\(error)".contains("two parents, \"base_link\" and \"map\"")
        }
        #expect {
            try buffer.add(
                RecordedTransform(parent: "camera", child: "odom", stampNanoseconds: 0, parentFromChild: .identity),
                isStatic: true)
        } throws: { error in
            "\(error)".contains("closes a loop")
        }
        #expect {
            try buffer.add(
                RecordedTransform(
                    parent: "base_link", child: "velodyne", stampNanoseconds: 5, parentFromChild: .identity),
                isStatic: false)
        } throws: { error in
            "\(error)".contains("both by /tf_static and by /tf")
        }
    }
}
