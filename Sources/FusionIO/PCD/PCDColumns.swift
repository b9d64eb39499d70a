import Foundation
import FusionGeometry

/// Where the values of one element of one PCD field live, for every point, as typed columns.
protocol PCDColumnSource {
    func floats(field: Int, element: Int) -> [Float]
    func doubles(field: Int, element: Int) -> [Double]
    /// The raw 32 bits of each value (for packed colours stored as F4 or U4).
    func bits32(field: Int, element: Int) -> [UInt32]
}

/// Columns read straight out of a binary buffer: value `i` of a column is at `start + i * stride`.
struct BinaryColumns: PCDColumnSource {
    let buffer: UnsafeRawBufferPointer
    let count: Int
    let types: [PCDHeader.ScalarType]
    /// (start, stride) in bytes of element `element` of field `field`.
    let layout: (_ field: Int, _ element: Int) -> (start: Int, stride: Int)

    init(
        buffer: UnsafeRawBufferPointer, count: Int, header: PCDHeader,
        layout: @escaping (_ field: Int, _ element: Int) -> (start: Int, stride: Int)
    ) {
        self.buffer = buffer
        self.count = count
        self.types = header.fields.map(\.type)
        self.layout = layout
    }

    func floats(field: Int, element: Int) -> [Float] {
        let (start, stride) = layout(field, element)
        switch types[field] {
        case .float32:
            if stride == 4 {  // contiguous (binary_compressed): one copy
                return [Float](unsafeUninitializedCapacity: count) { output, initialized in
                    if count > 0 {
                        UnsafeMutableRawPointer(output.baseAddress!).copyMemory(
                            from: buffer.baseAddress! + start, byteCount: 4 * count)
                    }
                    initialized = count
                }
            }
            return gather(start, stride) { (value: Float) in value }
        case .float64: return gather(start, stride) { (value: Double) in Float(value) }
        case .int8: return gather(start, stride) { (value: Int8) in Float(value) }
        case .uint8: return gather(start, stride) { (value: UInt8) in Float(value) }
        case .int16: return gather(start, stride) { (value: Int16) in Float(value) }
        case .uint16: return gather(start, stride) { (value: UInt16) in Float(value) }
        case .int32: return gather(start, stride) { (value: Int32) in Float(value) }
        case .uint32: return gather(start, stride) { (value: UInt32) in Float(value) }
        case .int64: return gather(start, stride) { (value: Int64) in Float(value) }
        case .uint64: return gather(start, stride) { (value: UInt64) in Float(value) }
        }
    }

    func doubles(field: Int, element: Int) -> [Double] {
        let (start, stride) = layout(field, element)
        switch types[field] {
        case .float32: return gather(start, stride) { (value: Float) in Double(value) }
        case .float64: return gather(start, stride) { (value: Double) in value }
        case .int8: return gather(start, stride) { (value: Int8) in Double(value) }
        case .uint8: return gather(start, stride) { (value: UInt8) in Double(value) }
        case .int16: return gather(start, stride) { (value: Int16) in Double(value) }
        case .uint16: return gather(start, stride) { (value: UInt16) in Double(value) }
        case .int32: return gather(start, stride) { (value: Int32) in Double(value) }
        case .uint32: return gather(start, stride) { (value: UInt32) in Double(value) }
        case .int64: return gather(start, stride) { (value: Int64) in Double(value) }
        case .uint64: return gather(start, stride) { (value: UInt64) in Double(value) }
        }
    }

    func bits32(field: Int, element: Int) -> [UInt32] {
        let (start, stride) = layout(field, element)
        return gather(start, stride) { (value: UInt32) in value }
    }

    /// Little-endian loads; PCD payloads are little-endian and so is every platform we build for.
    @inline(__always)
    private func gather<Source: BitwiseCopyable, Target>(_ start: Int, _ stride: Int, _ convert: (Source) -> Target)
        -> [Target]
    {
        [Target](unsafeUninitializedCapacity: count) { output, initialized in
            var offset = start
            for index in 0..<count {
                output[index] = convert(buffer.loadUnaligned(fromByteOffset: offset, as: Source.self))
                offset += stride
            }
            initialized = count
        }
    }
}

/// The payload of a `binary_compressed` PCD, decompressed straight into one block per field (all
/// points' values of that field). 32-bit float fields land directly in the `[Float]` a cloud
/// column uses, so a typical x y z intensity sweep is decompressed without an intermediate copy.
struct FieldBlockColumns: PCDColumnSource {
    /// One field's block: `[Float]` for float32 fields, raw bytes otherwise; padding keeps nothing.
    private final class Block {
        var floats: [Float] = []
        var bytes: [UInt8] = []
    }

    private let header: PCDHeader
    private let count: Int
    private let blocks: [Block]

    init(compressed: UnsafeRawBufferPointer, header: PCDHeader) throws(LZF.DecodeFailure) {
        self.header = header
        count = header.pointCount
        let count = count
        blocks = header.fields.map { field in
            let block = Block()
            if field.isPadding { return block }
            if field.type == .float32 {
                block.floats = [Float](repeating: 0, count: field.count * count)
            } else {
                block.bytes = [UInt8](repeating: 0, count: field.byteCount * count)
            }
            return block
        }
        // Where each field's block starts in the decompressed stream, and its length.
        let blockLengths = header.fields.map { $0.byteCount * count }
        let blockStarts = blockLengths.reduce(into: [0]) { $0.append($0.last! + $1) }
        try Self.withDestinations(blocks[...], header.fields[...], []) { (destinations) throws(LZF.DecodeFailure) in
            var field = 0
            try LZF.decompress(compressed, outputCount: blockStarts.last!) { offset, bytes in
                // Copy the piece into the blocks it spans.
                var copied = 0
                while copied < bytes.count {
                    let position = offset + copied
                    while position >= blockStarts[field + 1] { field += 1 }
                    let within = position - blockStarts[field]
                    let length = min(bytes.count - copied, blockLengths[field] - within)
                    if let destination = destinations[field] {
                        (destination + within).copyMemory(from: bytes.baseAddress! + copied, byteCount: length)
                    }
                    copied += length
                }
            }
        }
    }

    /// Calls `body` with a writable address for each field's block (nil for padding), keeping all
    /// of them valid at once.
    private static func withDestinations<Failure: Error>(
        _ blocks: ArraySlice<Block>, _ fields: ArraySlice<PCDHeader.Field>, _ collected: [UnsafeMutableRawPointer?],
        _ body: ([UnsafeMutableRawPointer?]) throws(Failure) -> Void
    ) throws(Failure) {
        guard let block = blocks.first, let field = fields.first else { return try body(collected) }
        let rest = (blocks.dropFirst(), fields.dropFirst())
        if field.isPadding || field.byteCount == 0
            || (field.type == .float32 ? block.floats.isEmpty : block.bytes.isEmpty)
        {
            return try withDestinations(rest.0, rest.1, collected + [nil], body)
        }
        // Array's byte accessors are untyped `rethrows`: carry the typed failure out by hand.
        var failure: Failure?
        let inner = { (bytes: UnsafeMutableRawBufferPointer) in
            do throws(Failure) {
                try withDestinations(rest.0, rest.1, collected + [bytes.baseAddress!], body)
            } catch {
                failure = error
            }
        }
        if field.type == .float32 {
            block.floats.withUnsafeMutableBytes(inner)
        } else {
            block.bytes.withUnsafeMutableBytes(inner)
        }
        if let failure { throw failure }
    }

    func floats(field: Int, element: Int) -> [Float] {
        if header.fields[field].type == .float32 && header.fields[field].count == 1 { return blocks[field].floats }
        return withBlockColumns(field) { $0.floats(field: field, element: element) }
    }

    func doubles(field: Int, element: Int) -> [Double] {
        withBlockColumns(field) { $0.doubles(field: field, element: element) }
    }

    func bits32(field: Int, element: Int) -> [UInt32] {
        withBlockColumns(field) { $0.bits32(field: field, element: element) }
    }

    /// The block of `field` read as strided binary columns: element k of point i at `(i * count + k) * size`.
    private func withBlockColumns<Result>(_ field: Int, _ body: (BinaryColumns) -> Result) -> Result {
        let fieldInfo = header.fields[field]
        let read: (UnsafeRawBufferPointer) -> Result = { buffer in
            body(
                BinaryColumns(buffer: buffer, count: count, header: header) { _, element in
                    (element * fieldInfo.type.size, fieldInfo.byteCount)
                })
        }
        return fieldInfo.type == .float32
            ? blocks[field].floats.withUnsafeBytes(read) : blocks[field].bytes.withUnsafeBytes(read)
    }
}
