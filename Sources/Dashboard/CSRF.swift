import Crypto
import Foundation

/// CSRF tokens for the operator forms: each browser gets a random cookie (`candlestack_csrf`,
/// HttpOnly, SameSite=Strict) and every form carries HMAC-SHA256(process secret, cookie). A POST
/// is accepted only when its `csrf` field is the HMAC of the cookie it came with, so another site
/// can neither read the token nor make one. The secret is random per process: a restart makes
/// old pages' tokens stale (reload the page).
enum CSRF {
    static let cookieName = "candlestack_csrf"
    static let fieldName = "csrf"
    private static let secret = SymmetricKey(size: .bits256)

    /// The browser's cookie value from a Cookie header, when it has the shape this process hands out.
    static func cookie(in header: String?) -> String? {
        guard let header else { return nil }
        for part in header.split(separator: ";") {
            let kv = part.trimmingCharacters(in: .whitespaces)
            guard kv.hasPrefix(cookieName + "=") else { continue }
            let value = String(kv.dropFirst(cookieName.count + 1))
            if value.count == 32, value.allSatisfy({ $0.isHexDigit && !$0.isUppercase }) { return value }
        }
        return nil
    }

    /// A fresh random cookie value (128 bits, hex).
    static func newCookie() -> String {
        var g = SystemRandomNumberGenerator()
        return (0..<16).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &g)) }.joined()
    }

    /// The Set-Cookie header value for `cookie`.
    static func setCookie(_ cookie: String) -> String {
        "\(cookieName)=\(cookie); Path=/; HttpOnly; SameSite=Strict"
    }

    /// The form token for a browser's cookie.
    static func token(for cookie: String) -> String {
        HMAC<SHA256>.authenticationCode(for: Data(cookie.utf8), using: secret).map { String(format: "%02x", $0) }.joined()
    }

    /// True when `token` is the token of `cookie` (compared in constant time).
    static func isValid(token: String?, cookie: String?) -> Bool {
        guard let token, let cookie, token.utf8.count == 64 else { return false }
        let expected = Array(Self.token(for: cookie).utf8), given = Array(token.utf8)
        var diff: UInt8 = 0
        for i in 0..<64 { diff |= expected[i] ^ given[i] }
        return diff == 0
    }
}
