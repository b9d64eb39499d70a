import CISAL

/// CRC-32 (ISO-HDLC, the checksum of zlib, PNG and MCAP), by ISA-L's folding implementation
/// (carry-less multiplication): checking a chunk costs a small fraction of reading it.
enum CRC32 {
    /// The CRC of `bytes`, continuing from `previous` (the CRC of the bytes before them; 0 to start).
    static func checksum(_ bytes: UnsafeRawBufferPointer, continuing previous: UInt32 = 0) -> UInt32 {
        guard let start = bytes.baseAddress else { return previous }
        return crc32_gzip_refl(previous, start.assumingMemoryBound(to: UInt8.self), UInt64(bytes.count))
    }
}
