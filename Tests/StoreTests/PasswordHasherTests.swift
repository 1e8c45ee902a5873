import Testing
@testable import Store

@Test func hashVerifiesOnlyTheRightPassword() throws {
    let phc = try fastHasher.hash("correct horse battery")
    #expect(fastHasher.verify("correct horse battery", against: phc))
    #expect(!fastHasher.verify("correct horse batterY", against: phc))
    #expect(!fastHasher.verify("", against: phc))
}

@Test func eachHashHasItsOwnSalt() throws {
    let first = try #require(PHCString(parsing: try fastHasher.hash("same password here")))
    let second = try #require(PHCString(parsing: try fastHasher.hash("same password here")))
    #expect(first.salt.count == 16)
    #expect(first.hash.count == 32)
    #expect(first.salt != second.salt)
    #expect(first.hash != second.hash)
}

@Test func unknownUserAndMalformedHashVerifyAgainstTheDummyAndFail() throws {
    #expect(!fastHasher.verify("anything at all", against: nil))
    #expect(!fastHasher.verify("anything at all", against: "$scrypt$garbage"))
    let dummy = try #require(PHCString(parsing: fastHasher.dummyHash))
    #expect(dummy.parameters == fastHasher.parameters)
}

@Test func defaultHasherUsesTheDefaultCost() throws {
    let hasher = defaultCostHasher
    let phc = try hasher.hash("a long enough password")
    #expect(phc.hasPrefix("$scrypt$ln=15,r=8,p=1$"))
    #expect(hasher.verify("a long enough password", against: phc))
    #expect(!hasher.needsRehash(phc))
}

@Test(arguments: [
    (ScryptParameters(logN: 14, r: 8, p: 1), true),
    (ScryptParameters(logN: 15, r: 4, p: 1), true),
    (ScryptParameters(logN: 15, r: 8, p: 1), false),
    (ScryptParameters(logN: 16, r: 8, p: 1), false),
    (ScryptParameters(logN: 15, r: 8, p: 2), false),
])
func needsRehashWhenBelowCurrentParameters(_ stored: ScryptParameters, _ expected: Bool) {
    let phc = PHCString(parameters: stored, salt: Array(repeating: 1, count: 16), hash: Array(repeating: 2, count: 32))
    #expect(defaultCostHasher.needsRehash(phc.encoded) == expected)
}

/// Built once: each default-cost hasher spends one scrypt on its dummy hash.
let defaultCostHasher: PasswordHasher = {
    do { return try PasswordHasher() } catch { preconditionFailure("cannot build the default hasher: \(error)") }
}()

@Test func needsRehashForShortSaltOrUnreadableHash() {
    let shortSalt = PHCString(parameters: .default, salt: Array(repeating: 1, count: 8), hash: Array(repeating: 2, count: 32))
    #expect(defaultCostHasher.needsRehash(shortSalt.encoded))
    #expect(defaultCostHasher.needsRehash("not a phc string"))
}

@Test(arguments: [
    ("", false), ("short", false), ("elevenchars", false), ("twelve chars", true), ("ééééééééééé", false),
    ("éééééééééééé", true), (String(repeating: "x", count: 1024), true), (String(repeating: "x", count: 1025), false),
])
func passwordPolicyRequiresTwelveCharacters(_ password: String, _ accepted: Bool) {
    let passed: Bool
    do {
        try PasswordPolicy.check(password)
        passed = true
    } catch {
        passed = false
    }
    #expect(passed == accepted)
}

@Test(arguments: [
    ScryptParameters(logN: 0, r: 8, p: 1), ScryptParameters(logN: -1, r: 8, p: 1), ScryptParameters(logN: 64, r: 8, p: 1),
    ScryptParameters(logN: 15, r: 0, p: 1), ScryptParameters(logN: 15, r: 8, p: 0),
])
func hasherRefusesParametersOutsideTheAcceptedRange(_ parameters: ScryptParameters) {
    #expect(throws: StoreError.self) { try PasswordHasher(parameters: parameters) }
}
