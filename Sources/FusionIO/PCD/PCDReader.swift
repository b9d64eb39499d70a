import Foundation
import FusionGeometry

/// A PCD file: its header and its points.
public struct PCDFile: Equatable, Sendable {
    public var header: PCDHeader
    public var cloud: PointCloud

    public init(header: PCDHeader, cloud: PointCloud) {
        self.header = header
        self.cloud = cloud
    }
}

/// Reads PCD files (`ascii`, `binary`, `binary_compressed`) into a `PointCloud`.
///
/// Fields map onto the cloud by name: `x y z` (required), `intensity`, `ring` (integer),
/// `time`/`timestamp` (floating point, seconds), `rgb`/`rgba` (packed, 4 bytes); padding `_` is
/// skipped and any other field is kept in `attributes.scalars` (`name.k` for element k of a field
/// with several elements). Points with NaN coordinates are kept (organized clouds use them).
/// Bytes after the declared payload are ignored, as PCL does.
///
/// A header that claims more data than the file holds is rejected before anything is allocated
/// for it, and so is a compressed size that LZF could not expand from the bytes present.
public enum PCDReader {
    /// Reads the PCD file at `path`.
    /// - Parameter adjustingHeader: a chance to correct a header known to misdescribe its payload
    ///   (see `SUSTechLidar`), called after parsing and before the payload is read.
    public static func read(
        contentsOf path: String,
        adjustingHeader: (inout PCDHeader) -> Void = { _ in }
    ) throws(ReadError) -> PCDFile {
        try read(try FileAccess.contents(of: path), file: path, adjustingHeader: adjustingHeader)
    }

    /// Reads a PCD file held in memory; `file` names it in errors.
    public static func read(
        _ data: Data, file: String = "<memory>",
        adjustingHeader: (inout PCDHeader) -> Void = { _ in }
    ) throws(ReadError) -> PCDFile {
        do {
            return try data.withUnsafeBytes { bytes in
                var (header, payloadOffset, payloadLine) = try PCDHeader.parse(bytes, file: file)
                adjustingHeader(&header)
                let payload = UnsafeRawBufferPointer(rebasing: bytes[payloadOffset...])
                let cloud = try decodePayload(
                    payload, header: header, payloadOffset: payloadOffset,
                    payloadLine: payloadLine, file: file)
                return PCDFile(header: header, cloud: cloud)
            }
        } catch let error as ReadError {
            throw error
        } catch {
            throw ReadError(file: file, location: .file, message: "\(error)")
        }
    }

    private static func decodePayload(
        _ payload: UnsafeRawBufferPointer, header: PCDHeader, payloadOffset: Int,
        payloadLine: Int, file: String
    ) throws(ReadError) -> PointCloud {
        let points = header.pointCount
        let payloadBytes = header.pointStep * points  // overflow was ruled out by the header parser
        switch header.encoding {
        case .binary:
            guard payloadBytes <= payload.count else {
                throw ReadError(
                    file: file, location: .byteOffset(payloadOffset),
                    message:
                        "header claims \(points) points of \(header.pointStep) bytes (\(payloadBytes) bytes) but only \(payload.count) bytes follow DATA"
                )
            }
            let offsets = header.fieldOffsets
            let step = header.pointStep
            let sizes = header.fields.map(\.type.size)
            let columns = BinaryColumns(buffer: payload, count: points, header: header) { fieldIndex, element in
                (offsets[fieldIndex] + element * sizes[fieldIndex], step)
            }
            return try PCDCloudBuilder.cloud(from: columns, header: header, file: file)

        case .binaryCompressed:
            guard payload.count >= 8 else {
                throw ReadError(
                    file: file, location: .byteOffset(payloadOffset),
                    message: "expected 8 bytes of compressed and uncompressed sizes after DATA, found \(payload.count)")
            }
            let compressedSize = Int(UInt32(littleEndian: payload.loadUnaligned(as: UInt32.self)))
            let uncompressedSize = Int(UInt32(littleEndian: payload.loadUnaligned(fromByteOffset: 4, as: UInt32.self)))
            guard compressedSize <= payload.count - 8 else {
                throw ReadError(
                    file: file, location: .byteOffset(payloadOffset),
                    message: "compressed size \(compressedSize) exceeds the \(payload.count - 8) bytes that follow")
            }
            guard uncompressedSize == payloadBytes else {
                throw ReadError(
                    file: file, location: .byteOffset(payloadOffset + 4),
                    message:
                        "uncompressed size \(uncompressedSize) differs from \(points) points × \(header.pointStep) bytes = \(payloadBytes)"
                )
            }
            guard uncompressedSize <= compressedSize * LZF.maximumExpansion else {
                throw ReadError(
                    file: file, location: .byteOffset(payloadOffset + 4),
                    message: "uncompressed size \(uncompressedSize) cannot come from \(compressedSize) LZF bytes")
            }
            let compressed = UnsafeRawBufferPointer(rebasing: payload[8..<(8 + compressedSize)])
            let columns: FieldBlockColumns
            do {
                columns = try FieldBlockColumns(compressed: compressed, header: header)
            } catch {
                throw lzfError(error, file: file, streamOffset: payloadOffset + 8, expected: uncompressedSize)
            }
            return try PCDCloudBuilder.cloud(from: columns, header: header, file: file)

        case .ascii:
            let columns = try ASCIIColumns(
                payload, header: header, payloadOffset: payloadOffset,
                firstLine: payloadLine, file: file)
            return try PCDCloudBuilder.cloud(from: columns, header: header, file: file)
        }
    }

    private static func lzfError(_ failure: LZF.DecodeFailure, file: String, streamOffset: Int, expected: Int)
        -> ReadError
    {
        switch failure {
        case .truncatedInput(let offset):
            ReadError(
                file: file, location: .byteOffset(streamOffset + offset), message: "LZF stream ends inside a chunk")
        case .outputOverflow(let offset):
            ReadError(
                file: file, location: .byteOffset(streamOffset + offset),
                message: "LZF stream expands beyond the declared \(expected) bytes")
        case .referenceBeforeStart(let offset):
            ReadError(
                file: file, location: .byteOffset(streamOffset + offset),
                message: "LZF back-reference points before the start of the output")
        case .shortOutput(let produced):
            ReadError(
                file: file, location: .byteOffset(streamOffset),
                message: "LZF stream expands to \(produced) bytes, expected \(expected)")
        }
    }
}
