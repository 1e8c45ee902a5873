// swift-tools-version:6.0
import PackageDescription

// Module map (imports point down only):
//   gateway (CLI) ─ Proxy ─┬─ Config ─ JSON
//                          ├─ Issuer ─┬─ Store ─ CSQLite, COpenSSL
//                          │          └─ JWT
//                          ├─ KeyFetch ─ EventLoop, HTTP1, JWT, TLS
//                          ├─ TLS ─ COpenSSL
//                          ├─ Policy ─ JWT ─ COpenSSL, JSON
//                          ├─ RateLimit
//                          ├─ HTTP1
//                          └─ EventLoop ─ CShim
//   LegacyAPI (examples/) ─ EventLoop, HTTP1
let swiftSettings: [SwiftSetting] = [.swiftLanguageMode(.v6)]

// The request path's modules are built without Swift's dynamic exclusivity checks in release: the profile
// (BENCHMARKS.md) showed ~280 swift_beginAccess calls and half of all user-space instructions per proxied
// request spent on them. They guard against overlapping accesses to class properties, a programming error
// that no input can cause; every module is single-threaded per worker, and debug builds (the test suite)
// keep the checks on. Bounds and overflow checks stay on everywhere.
let hotPathSettings: [SwiftSetting] = swiftSettings + [
    .unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))
]

let package = Package(
    name: "gateway",
    products: [
        .executable(name: "gateway", targets: ["gateway"]),
        .executable(name: "legacy-api", targets: ["legacy-api"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
    ],
    targets: [
        .target(name: "CShim"),
        .systemLibrary(name: "COpenSSL", pkgConfig: "openssl", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .target(name: "JSON", swiftSettings: swiftSettings),
        .target(name: "HTTP1", swiftSettings: hotPathSettings),
        .target(name: "EventLoop", dependencies: ["CShim"], swiftSettings: hotPathSettings),
        .target(name: "JWT", dependencies: ["COpenSSL", "JSON"], swiftSettings: hotPathSettings),
        .target(name: "Policy", dependencies: ["JWT", "JSON"], swiftSettings: hotPathSettings),
        .target(name: "RateLimit", swiftSettings: hotPathSettings),
        .target(name: "Config", dependencies: ["JSON"], swiftSettings: swiftSettings),
        .target(name: "Store", dependencies: ["CSQLite", "COpenSSL"], swiftSettings: swiftSettings),
        .target(name: "Issuer", dependencies: ["Store", "JWT", "JSON"], swiftSettings: swiftSettings),
        .target(name: "TLS", dependencies: ["COpenSSL"], swiftSettings: hotPathSettings),
        .target(name: "KeyFetch", dependencies: ["EventLoop", "HTTP1", "JWT", "JSON", "TLS"], swiftSettings: swiftSettings),
        .target(
            name: "Proxy",
            dependencies: [
                "EventLoop", "HTTP1", "JWT", "Policy", "RateLimit", "Config", "JSON", "CShim", "Issuer", "Store", "TLS",
                "KeyFetch", .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: hotPathSettings),
        .target(
            name: "LoadTest",
            dependencies: ["EventLoop", "HTTP1", "JWT", "JSON", "CShim", .product(name: "Histogram", package: "hdrhistogram-swift")],
            swiftSettings: swiftSettings),
        .target(
            name: "LegacyAPI", dependencies: ["EventLoop", "HTTP1", "JSON"], path: "examples/LegacyAPI",
            swiftSettings: swiftSettings),
        .executableTarget(
            name: "legacy-api", dependencies: ["LegacyAPI", "EventLoop"], path: "examples/legacy-api",
            swiftSettings: swiftSettings),
        .executableTarget(
            name: "gateway",
            dependencies: [
                "Proxy", "Config", "JWT", "Policy", "RateLimit", "LegacyAPI", "LoadTest", "EventLoop", "HTTP1", "JSON", "Store",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings),
        .testTarget(name: "JSONTests", dependencies: ["JSON"], swiftSettings: swiftSettings),
        .testTarget(name: "HTTP1Tests", dependencies: ["HTTP1"], swiftSettings: swiftSettings),
        .testTarget(name: "EventLoopTests", dependencies: ["EventLoop", "CShim"], swiftSettings: swiftSettings),
        .testTarget(
            name: "JWTTests", dependencies: ["JWT", "JSON", "COpenSSL"], resources: [.copy("Resources")],
            swiftSettings: swiftSettings),
        .testTarget(name: "PolicyTests", dependencies: ["Policy", "JWT", "JSON"], swiftSettings: swiftSettings),
        .testTarget(name: "RateLimitTests", dependencies: ["RateLimit"], swiftSettings: swiftSettings),
        .testTarget(name: "ConfigTests", dependencies: ["Config", "JSON"], swiftSettings: swiftSettings),
        .testTarget(name: "StoreTests", dependencies: ["Store"], swiftSettings: swiftSettings),
        .testTarget(name: "IssuerTests", dependencies: ["Issuer", "Store", "JWT", "JSON"], swiftSettings: swiftSettings),
        .testTarget(name: "TLSTests", dependencies: ["TLS", "COpenSSL"], swiftSettings: swiftSettings),
        .testTarget(name: "KeyFetchTests", dependencies: ["KeyFetch", "JWT", "JSON", "EventLoop", "TLS"], swiftSettings: swiftSettings),
        .testTarget(name: "LoadTestTests", dependencies: ["LoadTest", "EventLoop", "HTTP1", "JWT", "JSON"], swiftSettings: swiftSettings),
        .testTarget(
            name: "ProxyTests",
            dependencies: [
                "Proxy", "Config", "JWT", "Policy", "RateLimit", "EventLoop", "HTTP1", "JSON", "LegacyAPI", "LoadTest", "CShim", "Store",
                "Issuer", "KeyFetch", "TLS",
            ],
            swiftSettings: swiftSettings),
    ] + fuzzTargets
)

// libFuzzer entry points (scripts/fuzz.sh builds them with -sanitize=fuzzer,address; a plain build links an
// empty main that exits at once).
var fuzzTargets: [Target] {
    [
        ("FuzzRequestHead", ["HTTP1"]), ("FuzzChunked", ["HTTP1"]), ("FuzzResponseHead", ["HTTP1"]),
        ("FuzzPath", ["HTTP1"]), ("FuzzJWT", ["JWT", "JSON"]), ("FuzzConfig", ["Config", "JSON"]),
        ("FuzzIssuerBody", ["Issuer", "JSON"]), ("FuzzJWKSFetch", ["KeyFetch", "JWT", "JSON", "HTTP1"]),
    ].map { name, deps in
        .executableTarget(
            name: name, dependencies: deps.map { .target(name: $0) }, path: "Tests/Fuzz/\(name)", swiftSettings: swiftSettings)
    }
}
