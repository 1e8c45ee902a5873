/// Size bounds for a message head; exceeding them is rejected (414 for the target, 431 for the rest).
public struct HeadLimits: Sendable {
    public var maxTargetBytes = 8192
    public var maxHeadBytes = 65536
    public var maxHeaderCount = 100

    public init(maxTargetBytes: Int = 8192, maxHeadBytes: Int = 65536, maxHeaderCount: Int = 100) {
        self.maxTargetBytes = maxTargetBytes
        self.maxHeadBytes = maxHeadBytes
        self.maxHeaderCount = maxHeaderCount
    }
}
