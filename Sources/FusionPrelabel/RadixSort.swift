/// Positions `0..<keys.count` ordered by key, stably (equal keys keep their order): a
/// least-significant-digit radix sort, `digitBits` per pass and only as many passes as the largest
/// key needs. Linear in the count; a comparison sort of a sweep's 120,000 cell keys costs five
/// times more.
func stableOrder(byKeys keys: [UInt32]) -> [Int32] {
    let count = keys.count
    var order = (0..<Int32(count)).map { $0 }
    guard count > 1, let largest = keys.max(), largest > 0 else { return order }
    let digitBits = 11
    let digitMask = UInt32(1 << digitBits - 1)
    let bits = UInt32.bitWidth - largest.leadingZeroBitCount
    var sortedKeys = keys
    var scratchKeys = [UInt32](repeating: 0, count: count)
    var scratchOrder = [Int32](repeating: 0, count: count)
    var starts = [Int](repeating: 0, count: 1 << digitBits)
    for shift in stride(from: 0, to: bits, by: digitBits) {
        sortedKeys.withUnsafeMutableBufferPointer { keys in
            order.withUnsafeMutableBufferPointer { order in
                scratchKeys.withUnsafeMutableBufferPointer { scratchKeys in
                    scratchOrder.withUnsafeMutableBufferPointer { scratchOrder in
                        starts.withUnsafeMutableBufferPointer { starts in
                            starts.update(repeating: 0)
                            for key in keys { starts[Int((key >> UInt32(shift)) & digitMask)] += 1 }
                            var total = 0
                            for digit in 0..<starts.count {
                                let digitCount = starts[digit]
                                starts[digit] = total
                                total += digitCount
                            }
                            for position in 0..<count {
                                let digit = Int((keys[position] >> UInt32(shift)) & digitMask)
                                scratchKeys[starts[digit]] = keys[position]
                                scratchOrder[starts[digit]] = order[position]
                                starts[digit] += 1
                            }
                        }
                    }
                }
            }
        }
        swap(&sortedKeys, &scratchKeys)
        swap(&order, &scratchOrder)
    }
    return order
}
