import Testing
@testable import Store

func makeUsers(_ temporary: TemporaryDatabase) throws -> UserStore {
    UserStore(database: try temporary.open(), hasher: fastHasher)
}

@Test func addFindAndList() throws {
    let temporary = TemporaryDatabase()
    let users = try makeUsers(temporary)
    try users.add(username: "kyle", password: "kyle's long password", roles: ["reader"], now: 10)
    try users.add(username: "admin", password: "admin's long password", roles: ["reader", "admin"], now: 20)
    let kyle = try #require(try users.find(username: "kyle"))
    #expect(kyle.roles == ["reader"])
    #expect(!kyle.disabled)
    #expect(kyle.createdAt == 10)
    #expect(kyle.passwordHash.hasPrefix("$scrypt$"))
    #expect(!kyle.passwordHash.contains("kyle's long password"))
    #expect(try users.list().map(\.username) == ["admin", "kyle"])
    #expect(try users.list().first?.roles == ["reader", "admin"])
    #expect(try users.find(username: "nobody") == nil)
}

@Test func addRefusesDuplicates() throws {
    let temporary = TemporaryDatabase()
    let users = try makeUsers(temporary)
    try users.add(username: "kyle", password: "kyle's long password", roles: [], now: 10)
    #expect(throws: StoreError.userExists("kyle")) {
        try users.add(username: "kyle", password: "another long password", roles: [], now: 11)
    }
    #expect(try users.list().count == 1)
}

@Test(arguments: ["", "short", "elevenchars"])
func addRefusesShortPasswords(_ password: String) throws {
    let temporary = TemporaryDatabase()
    let users = try makeUsers(temporary)
    #expect(throws: StoreError.passwordTooShort(minimum: 12)) {
        try users.add(username: "kyle", password: password, roles: [], now: 10)
    }
    #expect(try users.find(username: "kyle") == nil)
}

@Test(arguments: [("", ["r"]), ("has space", ["r"]), ("comma,name", ["r"]), ("ctl\u{1}", ["r"]), ("ok", ["a,b"]), ("ok", [""])])
func addRefusesInvalidNamesAndRoles(_ username: String, _ roles: [String]) throws {
    let temporary = TemporaryDatabase()
    let users = try makeUsers(temporary)
    #expect(throws: StoreError.self) { try users.add(username: username, password: "a long password!", roles: roles, now: 1) }
    #expect(try users.list().isEmpty)
}

@Test func setPasswordReplacesTheHashAndEndsRefreshFamilies() throws {
    let temporary = TemporaryDatabase()
    let users = try makeUsers(temporary)
    try users.add(username: "kyle", password: "the first password", roles: [], now: 10)
    let refresh = try RefreshTokenStore(database: users.database).issue(username: "kyle", now: 10, lifetime: .seconds(100))
    try users.setPassword(username: "kyle", password: "the second password", now: 20)
    #expect(try users.authenticate(username: "kyle", password: "the first password") == nil)
    #expect(try users.authenticate(username: "kyle", password: "the second password")?.username == "kyle")
    #expect(try RefreshTokenStore(database: users.database).rotate(refresh.token, now: 30, lifetime: .seconds(100)) == .revoked)
    #expect(throws: StoreError.passwordTooShort(minimum: 12)) { try users.setPassword(username: "kyle", password: "short", now: 30) }
    #expect(throws: StoreError.unknownUser("nobody")) {
        try users.setPassword(username: "nobody", password: "a long password!", now: 30)
    }
}

@Test func disabledUserCannotAuthenticate() throws {
    let temporary = TemporaryDatabase()
    let users = try makeUsers(temporary)
    try users.add(username: "kyle", password: "kyle's long password", roles: [], now: 10)
    #expect(try users.authenticate(username: "kyle", password: "kyle's long password") != nil)
    try users.disable(username: "kyle", now: 20)
    #expect(try users.find(username: "kyle")?.disabled == true)
    #expect(try users.authenticate(username: "kyle", password: "kyle's long password") == nil)
    #expect(throws: StoreError.unknownUser("nobody")) { try users.disable(username: "nobody", now: 20) }
}

@Test func enableRestoresLoginButNotTheRevokedRefreshFamilies() throws {
    let temporary = TemporaryDatabase()
    let users = try makeUsers(temporary)
    try users.add(username: "kyle", password: "kyle's long password", roles: [], now: 10)
    let refresh = try RefreshTokenStore(database: users.database).issue(username: "kyle", now: 10, lifetime: .seconds(100))
    try users.disable(username: "kyle", now: 20)
    try users.enable(username: "kyle")
    #expect(try users.find(username: "kyle")?.disabled == false)
    #expect(try users.authenticate(username: "kyle", password: "kyle's long password")?.username == "kyle")
    #expect(try RefreshTokenStore(database: users.database).rotate(refresh.token, now: 30, lifetime: .seconds(100)) == .revoked)
    #expect(throws: StoreError.unknownUser("nobody")) { try users.enable(username: "nobody") }
}

@Test func authenticateRefusesWrongPasswordAndUnknownUser() throws {
    let temporary = TemporaryDatabase()
    let users = try makeUsers(temporary)
    try users.add(username: "kyle", password: "kyle's long password", roles: [], now: 10)
    #expect(try users.authenticate(username: "kyle", password: "kyle's long passworD") == nil)
    #expect(try users.authenticate(username: "nobody", password: "kyle's long password") == nil)
}

@Test func authenticateUpgradesAWeakerHash() throws {
    let temporary = TemporaryDatabase()
    let database = try temporary.open()
    let weak = try PasswordHasher(parameters: ScryptParameters(logN: 3, r: 1, p: 1))
    try UserStore(database: database, hasher: weak).add(username: "kyle", password: "kyle's long password", roles: [], now: 1)
    let users = UserStore(database: database, hasher: fastHasher)
    let upgraded = try #require(try users.authenticate(username: "kyle", password: "kyle's long password"))
    #expect(upgraded.passwordHash.hasPrefix("$scrypt$ln=4,r=1,p=1$"))
    #expect(try users.find(username: "kyle")?.passwordHash == upgraded.passwordHash)
    #expect(try users.authenticate(username: "kyle", password: "kyle's long password") != nil)
}
