import Dispatch
import Foundation

/// What this machine can do at most, measured in the same run as the engine so that each stage
/// reads as a share of it: how fast one core moves memory, and how many multiply-adds one core and
/// all cores do.
public struct MachineCeilings: Codable, Sendable, Equatable {
    /// Bytes moved per second (read plus written) copying 256 MiB with `memcpy`, one thread.
    var copyBytesPerSecond: Double
    /// Float multiply-adds (a multiply and an add) per second on one core, in this build's vectors.
    var multiplyAddsPerSecond: Double
    /// The same arithmetic on every core at once (one thread per core), summed.
    var multiplyAddsPerSecondAllCores: Double
    /// The cores the all-core figure used.
    public var cores: Int

    /// How much faster all cores do the arithmetic than one: the best a parallel stage can scale.
    var parallelCeiling: Double { multiplyAddsPerSecondAllCores / multiplyAddsPerSecond }

    /// Measures the ceilings (about a second); the best of several tries of each.
    public static func measure(cores: Int = ProcessInfo.processInfo.activeProcessorCount) -> MachineCeilings {
        let single = (0..<3).map { _ in multiplyAddRate() }.max()!
        let parallel = (0..<3).map { _ in
            // Each core writes its own slot.
            nonisolated(unsafe) let rates = UnsafeMutableBufferPointer<Double>.allocate(capacity: cores)
            defer { rates.deallocate() }
            DispatchQueue.concurrentPerform(iterations: cores) { core in rates[core] = multiplyAddRate() }
            return rates.reduce(0, +)
        }.max()!
        return MachineCeilings(
            copyBytesPerSecond: copyRate(), multiplyAddsPerSecond: single,
            multiplyAddsPerSecondAllCores: parallel, cores: cores)
    }

    /// Best of three copies of 256 MiB (bigger than any cache) into a second buffer.
    static func copyRate() -> Double {
        let bytes = 256 << 20
        let source = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 64)
        let target = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 64)
        defer {
            source.deallocate()
            target.deallocate()
        }
        // Touch both, so that page faults are not timed.
        memset(source, 1, bytes)
        memset(target, 0, bytes)
        let best = (0..<3).map { _ in seconds { memcpy(target, source, bytes) } }.min()!
        return Double(2 * bytes) / best
    }

    /// Multiply-adds per second on the calling thread: independent chains of `a = a * m + c`, in
    /// 8-lane and in 16-lane vectors (the better of the two: which one fills the machine's
    /// registers without spilling depends on the build's vector width).
    static func multiplyAddRate() -> Double {
        let iterations = 1 << 20
        let seed = Float(ProcessInfo.processInfo.processIdentifier & 1) + 1
        let eight = seconds { blackHole(chains(SIMD8<Float>.self, iterations: iterations, seed: seed)) }
        let sixteen = seconds { blackHole(chains(SIMD16<Float>.self, iterations: iterations, seed: seed)) }
        return max(Double(6 * 8 * iterations) / eight, Double(6 * 16 * iterations) / sixteen)
    }

    /// Six independent multiply-add chains of `Lanes` for `iterations` steps.
    @inline(never)
    static func chains<Lanes: SIMD>(_: Lanes.Type, iterations: Int, seed: Float) -> Float where Lanes.Scalar == Float {
        var a0 = Lanes(repeating: seed)
        var a1 = a0 + 1
        var a2 = a0 + 2
        var a3 = a0 + 3
        var a4 = a0 + 4
        var a5 = a0 + 5
        let m = Lanes(repeating: 0.999_999_9)
        let c = Lanes(repeating: 1e-7)
        for _ in 0..<iterations {
            a0 = a0 * m + c
            a1 = a1 * m + c
            a2 = a2 * m + c
            a3 = a3 * m + c
            a4 = a4 * m + c
            a5 = a5 * m + c
        }
        return (a0 + a1 + a2 + a3 + a4 + a5).sum()
    }
}

/// Seconds `body` takes on the monotonic clock.
func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

/// Keeps a value alive so that the optimiser cannot drop the work that made it.
@inline(never)
func blackHole<Value>(_ value: Value) {
    withExtendedLifetime(value) {}
}
