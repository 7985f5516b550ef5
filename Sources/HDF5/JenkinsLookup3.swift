/// Bob Jenkins' lookup3 hash ("hashlittle", 2006), the checksum HDF5 stores in every piece of
/// latest-format metadata, the superblock included. Written from the published algorithm so the
/// superblock can be verified before HDF5 is asked to open a file (HDF5Superblock).
enum JenkinsLookup3 {
    static func hash(_ bytes: [UInt8], initialValue: UInt32 = 0) -> UInt32 {
        var a = 0xdead_beef &+ UInt32(truncatingIfNeeded: bytes.count) &+ initialValue
        var b = a, c = a
        func word(_ i: Int, _ n: Int) -> UInt32 {
            // Little-endian, the first `n` (1...4) bytes from `i`.
            var w: UInt32 = 0
            for k in 0..<n { w |= UInt32(bytes[i + k]) << (8 * UInt32(k)) }
            return w
        }
        var i = 0, left = bytes.count
        while left > 12 {
            a &+= word(i, 4); b &+= word(i + 4, 4); c &+= word(i + 8, 4)
            mix(&a, &b, &c)
            i += 12
            left -= 12
        }
        if left == 0 { return c }
        // The last 1...12 bytes, zero-padded.
        a &+= word(i, min(left, 4))
        if left > 4 { b &+= word(i + 4, min(left - 4, 4)) }
        if left > 8 { c &+= word(i + 8, left - 8) }
        final(&a, &b, &c)
        return c
    }

    private static func rot(_ x: UInt32, _ k: UInt32) -> UInt32 { (x << k) | (x >> (32 - k)) }

    private static func mix(_ a: inout UInt32, _ b: inout UInt32, _ c: inout UInt32) {
        a &-= c; a ^= rot(c, 4); c &+= b
        b &-= a; b ^= rot(a, 6); a &+= c
        c &-= b; c ^= rot(b, 8); b &+= a
        a &-= c; a ^= rot(c, 16); c &+= b
        b &-= a; b ^= rot(a, 19); a &+= c
        c &-= b; c ^= rot(b, 4); b &+= a
    }

    private static func final(_ a: inout UInt32, _ b: inout UInt32, _ c: inout UInt32) {
        c ^= b; c &-= rot(b, 14)
        a ^= c; a &-= rot(c, 11)
        b ^= a; b &-= rot(a, 25)
        c ^= b; c &-= rot(b, 16)
        a ^= c; a &-= rot(c, 4)
        b ^= a; b &-= rot(a, 14)
        c ^= b; c &-= rot(b, 24)
    }
}
