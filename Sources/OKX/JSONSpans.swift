// JSONSpans: finds the exact bytes of each element of the top-level "data" array, so that the
// raw JSON of each instrument or ticker is stored as OKX sent it (number formats untouched).
// It runs only on bodies JSONSerialization has already accepted, so it can be simple.

import Foundation

enum JSONSpans {
    /// Byte ranges of the elements of the top-level object's `data` array, or nil if not found.
    static func dataElements(_ data: Data) -> [Range<Int>]? {
        let b = [UInt8](data)
        var i = 0
        skipWS(b, &i)
        guard i < b.count, b[i] == UInt8(ascii: "{") else { return nil }
        i += 1
        while true {
            skipWS(b, &i)
            guard i < b.count else { return nil }
            if b[i] == UInt8(ascii: "}") { return nil }
            if b[i] == UInt8(ascii: ",") { i += 1; continue }
            guard b[i] == UInt8(ascii: "\"") else { return nil }
            let keyStart = i + 1
            skipString(b, &i)
            let key = String(decoding: b[keyStart..<(i - 1)], as: UTF8.self)
            skipWS(b, &i)
            guard i < b.count, b[i] == UInt8(ascii: ":") else { return nil }
            i += 1
            skipWS(b, &i)
            if key == "data" {
                guard i < b.count, b[i] == UInt8(ascii: "[") else { return nil }
                return arrayElements(b, &i)
            }
            skipValue(b, &i)
        }
    }

    private static func arrayElements(_ b: [UInt8], _ i: inout Int) -> [Range<Int>]? {
        i += 1 // [
        var out: [Range<Int>] = []
        while true {
            skipWS(b, &i)
            guard i < b.count else { return nil }
            if b[i] == UInt8(ascii: "]") { return out }
            if b[i] == UInt8(ascii: ",") { i += 1; continue }
            let start = i
            skipValue(b, &i)
            out.append(start..<i)
        }
    }

    private static func skipWS(_ b: [UInt8], _ i: inout Int) {
        while i < b.count, b[i] == 0x20 || b[i] == 0x0A || b[i] == 0x0D || b[i] == 0x09 { i += 1 }
    }

    /// `i` at the opening quote; leaves `i` after the closing quote.
    private static func skipString(_ b: [UInt8], _ i: inout Int) {
        i += 1
        while i < b.count {
            if b[i] == UInt8(ascii: "\\") { i += 2; continue }
            if b[i] == UInt8(ascii: "\"") { i += 1; return }
            i += 1
        }
    }

    private static func skipValue(_ b: [UInt8], _ i: inout Int) {
        guard i < b.count else { return }
        switch b[i] {
        case UInt8(ascii: "\""):
            skipString(b, &i)
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            var depth = 0
            while i < b.count {
                let c = b[i]
                if c == UInt8(ascii: "\"") { skipString(b, &i); continue }
                if c == UInt8(ascii: "{") || c == UInt8(ascii: "[") { depth += 1 }
                if c == UInt8(ascii: "}") || c == UInt8(ascii: "]") {
                    depth -= 1
                    if depth == 0 { i += 1; return }
                }
                i += 1
            }
        default:
            while i < b.count {
                let c = b[i]
                if c == UInt8(ascii: ",") || c == UInt8(ascii: "}") || c == UInt8(ascii: "]")
                    || c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 { return }
                i += 1
            }
        }
    }
}
