import CZlib

/// CRC-32 (ISO-HDLC, the checksum of zlib, PNG and MCAP), by zlib's vectorised implementation.
enum CRC32 {
    static func checksum(_ bytes: UnsafeRawBufferPointer, continuing previous: UInt32 = 0) -> UInt32 {
        var crc = UInt(previous)
        var offset = 0
        // zlib takes lengths as `uInt`: feed at most 1 GiB at a time.
        while offset < bytes.count {
            let length = min(bytes.count - offset, 1 << 30)
            crc = crc32(crc, bytes.baseAddress!.advanced(by: offset).assumingMemoryBound(to: Bytef.self), uInt(length))
            offset += length
        }
        return UInt32(truncatingIfNeeded: crc)
    }
}
