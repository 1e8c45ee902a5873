import Store
import Synchronization
import Testing

@testable import Issuer

struct IssuerServiceQueueTests {
    @Test func submitRefusesBeyondMaxQueuedAndShutdownDrains() throws {
        let fixture = try IssuerFixture(threads: 1, maxQueued: 1)
        let started = Monitor(false)
        let release = Monitor(false)
        let replies = Mutex<[Int]>([])
        // The only thread is held inside the first job's completion until the test releases it.
        #expect(fixture.service.submit(.login(username: "alice", password: testPassword)) { reply in
            replies.withLock { $0.append(reply.status) }
            started.update { $0 = true }
            release.wait(until: { $0 }, then: { _ in })
        })
        #expect(started.wait(until: { $0 }, timeout: .seconds(10)))
        #expect(fixture.service.submit(.login(username: "nobody", password: "x")) { reply in
            replies.withLock { $0.append(reply.status) }
        })
        #expect(!fixture.service.submit(.login(username: "alice", password: testPassword)) { _ in
            Issue.record("a refused job must never run")
        })
        release.update { $0 = true }
        fixture.service.shutdown()
        #expect(replies.withLock { $0 } == [200, 401])
        #expect(!fixture.service.submit(.refresh(refreshToken: "x")) { _ in Issue.record("submit after shutdown") })
    }

    @Test func manyConcurrentJobsAllComplete() async throws {
        let fixture = try IssuerFixture(threads: 2)
        let statuses = await withTaskGroup(of: Int.self) { group in
            for index in 0..<12 {
                group.addTask { await fixture.login("alice", index % 3 == 0 ? "wrong password here" : testPassword).status }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(statuses.sorted() == Array(repeating: 200, count: 8) + Array(repeating: 401, count: 4))
    }
}
