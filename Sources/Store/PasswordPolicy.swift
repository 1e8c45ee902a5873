/// The rule every new password passes, for `user add`, `user passwd` and registration alike.
public enum PasswordPolicy {
    public static let minimumLength = 12
    /// Caps the bytes hashed per login attempt; far above any passphrase.
    public static let maximumBytes = 1024

    /// Length counts Unicode code points, as NIST SP 800-63B asks, so a non-ASCII password is not penalised.
    public static func check(_ password: String) throws(StoreError) {
        guard password.unicodeScalars.count >= minimumLength else { throw .passwordTooShort(minimum: minimumLength) }
        guard password.utf8.count <= maximumBytes else { throw .passwordTooLong(maximum: maximumBytes) }
    }
}
