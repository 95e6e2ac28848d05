// InstrumentID: the shape of an OKX instId. SQL's market.is_inst_id (migrations/0008) is the truth;
// this is the one Swift copy, for inputs that reach OKX before any database sees them (the CLI's
// flags), and Tests/RuleDriftTests checks that both accept exactly the same strings.

public enum InstrumentID {
    /// What a well-formed id looks like, for error messages.
    public static let expected = "an OKX instrument id such as BTC-USDT or BTC-USDT-SWAP "
        + "(upper-case letters and digits in 2 to 5 parts joined by \"-\")"

    /// True for 2 to 5 non-empty parts of ASCII upper-case letters and digits joined by "-":
    /// BTC-USDT, BTC-USDT-SWAP, BTC-USD-240628, BTC-USD-240628-60000-C.
    public static func isWellFormed(_ id: String) -> Bool {
        var parts = 1
        var partLength = 0
        for byte in id.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                partLength += 1
            case UInt8(ascii: "-"):
                guard partLength > 0 else { return false }
                parts += 1
                partLength = 0
            default:
                return false
            }
        }
        return partLength > 0 && (2...5).contains(parts)
    }
}
