import Foundation
import FusionGeometry
import FusionIO
@testable import FusionSim
import FusionTestSupport
import Testing

@Suite struct SampleSceneGeneratorTests {
    let generator = SampleSceneGenerator(seed: 7, frameCount: 3)

    @Test func theSameSeedGivesTheSameSceneAndAnotherSeedAnotherOne() throws {
        let first = generator.generate(), second = generator.generate()
        #expect(first.sweeps.map(\.cloud) == second.sweeps.map(\.cloud))
        #expect(try first.labels.data() == second.labels.data())
        let other = SampleSceneGenerator(seed: 8, frameCount: 3).generate()
        #expect(other.sweeps[0].cloud != first.sweeps[0].cloud)
    }

    /// Every return lies where the ray met the world: on the ground (z = 0) or on the surface of
    /// the object it hit, at its own firing time. Checked in the world frame, through the ego
    /// pose at each point's timestamp, within five standard deviations of the range noise.
    @Test func everyReturnLiesOnTheSurfaceItHit() throws {
        let scene = generator.generate()
        let world = SampleWorld(seed: generator.seed)
        let tolerance = 5 * generator.lidar.rangeNoise + 1e-4
        var groundReturns = 0, objectReturns = 0
        for sweep in scene.sweeps {
            let times = try #require(sweep.cloud.attributes.time)
            for index in 0..<sweep.cloud.count {
                let worldFromLidar = generator.worldFromEgo(at: times[index]) * generator.egoFromLidar
                let point = worldFromLidar.apply(to: SIMD3<Double>(sweep.cloud[index]))
                if let object = sweep.hitObject[index] {
                    var box = world.objects[object].box(at: times[index] - generator.startTime)
                    box.size = Size3(length: box.size.length + 2 * tolerance, width: box.size.width + 2 * tolerance,
                                     height: box.size.height + 2 * tolerance)
                    #expect(box.contains(point), "point \(index) misses object \(object)")
                    objectReturns += 1
                } else {
                    #expect(abs(point.z) <= tolerance, "ground point \(index) at height \(point.z)")
                    groundReturns += 1
                }
            }
        }
        #expect(groundReturns > 10_000 && objectReturns > 1_000)
    }

    @Test func labelsCountTheReturnsOfTheirObjectAndRingsAndTimesAreSane() throws {
        let scene = generator.generate()
        for (index, sweep) in scene.sweeps.enumerated() {
            let frame = try #require(scene.labels.frames[index])
            for (uid, labels) in frame.objects {
                #expect(labels[0].attributes.numbers["points"] == Double(sweep.hitObject.filter { $0 == Int(uid) }.count))
            }
            #expect(Set(sweep.cloud.attributes.ring!).isSubset(of: Set(0..<32)))
            let times = sweep.cloud.attributes.time!
            let start = scene.manifest.frames[index].timestamp
            #expect(times.allSatisfy { $0 >= start && $0 < start + generator.lidar.sweepDuration })
        }
        // Every labelled object is seen in the first frame.
        #expect(scene.labels.frames[0]?.objects.count == scene.labels.objects.count)
    }

    /// SampleScenes/sample is exactly what its documented command writes.
    @Test func theBundledSampleRegeneratesBitForBit() throws {
        let bundled = SharedScenes.repositoryRoot + "/SampleScenes/sample"
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sample-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try SampleSceneGenerator(seed: 7, frameCount: 5).write(to: folder)
        let files = try FileManager.default.subpathsOfDirectory(atPath: bundled).sorted()
        let regenerated = try FileManager.default.subpathsOfDirectory(atPath: folder).sorted()
        #expect(files == regenerated)
        for file in files {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: bundled + "/" + file, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
            #expect(FileManager.default.contentsEqual(atPath: bundled + "/" + file, andPath: folder + "/" + file), "\(file) differs")
        }
    }
}
