import Testing
@testable import EventLoop

@Test func timerHeapPopsInDeadlineOrder() {
    var heap = TimerHeap()
    let deadlines: [UInt64] = [50, 10, 40, 10, 30, 20, 60, 5]
    for (i, d) in deadlines.enumerated() { heap.push(.init(deadline: d, fd: Int32(i), generation: 0)) }
    #expect(heap.popDue(now: 4) == nil)
    var popped: [UInt64] = []
    while let e = heap.popDue(now: 45) { popped.append(e.deadline) }
    #expect(popped == [5, 10, 10, 20, 30, 40])
    #expect(heap.count == 2)
    #expect(heap.earliest == 50)
}
