// swift-tools-version:6.0
import PackageDescription

// Module map (imports point down only):
//   gateway (CLI) ─ Proxy ─┬─ Config ─ JSON
//                          ├─ Policy ─ JWT ─ COpenSSL, JSON
//                          ├─ RateLimit
//                          ├─ HTTP1
//                          └─ EventLoop ─ CShim
//   LegacyAPI (examples/) ─ EventLoop, HTTP1
let swiftSettings: [SwiftSetting] = [.swiftLanguageMode(.v6)]

let package = Package(
    name: "gateway",
    products: [
        .executable(name: "gateway", targets: ["gateway"]),
        .executable(name: "legacy-api", targets: ["legacy-api"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        .target(name: "CShim"),
        .systemLibrary(name: "COpenSSL", pkgConfig: "openssl", providers: [.apt(["libssl-dev"])]),
        .target(name: "JSON", swiftSettings: swiftSettings),
        .target(name: "HTTP1", swiftSettings: swiftSettings),
        .target(name: "EventLoop", dependencies: ["CShim"], swiftSettings: swiftSettings),
        .target(name: "JWT", dependencies: ["COpenSSL", "JSON"], swiftSettings: swiftSettings),
        .target(name: "Policy", dependencies: ["JWT", "JSON"], swiftSettings: swiftSettings),
        .target(name: "RateLimit", swiftSettings: swiftSettings),
        .target(name: "Config", dependencies: ["JSON"], swiftSettings: swiftSettings),
        .target(
            name: "Proxy",
            dependencies: [
                "EventLoop", "HTTP1", "JWT", "Policy", "RateLimit", "Config", "JSON", "CShim",
                .product(name: "Logging", package: "swift-log"),
            ],
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
                "Proxy", "Config", "JWT", "Policy", "RateLimit", "LegacyAPI", "EventLoop", "HTTP1", "JSON",
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
        .testTarget(
            name: "ProxyTests",
            dependencies: ["Proxy", "Config", "JWT", "Policy", "RateLimit", "EventLoop", "HTTP1", "JSON", "LegacyAPI", "CShim"],
            swiftSettings: swiftSettings),
    ]
)
