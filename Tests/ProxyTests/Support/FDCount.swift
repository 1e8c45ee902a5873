import Glibc

/// Open file descriptors of the test process: the gateway, upstream and clients all share it, so a leak shows up
/// as a count that does not return to its baseline.
enum FDCount {
    static func open() -> Int {
        guard let dir = opendir("/proc/self/fd") else { return -1 }
        defer { closedir(dir) }
        // Entries are only counted: reading d_name through the fixed-size tuple would read past a short
        // dirent (AddressSanitizer caught that).
        var count = 0
        while readdir(dir) != nil { count += 1 }
        return count - 3  // ".", ".." and the directory stream's own descriptor
    }
}

/// Waits (checking every 5 ms) until `condition` holds or `timeout` seconds pass; returns whether it held.
func waitUntil(timeout: Double, _ condition: () -> Bool) -> Bool {
    let deadline = monotonicSeconds() + timeout
    while true {
        if condition() { return true }
        if monotonicSeconds() >= deadline { return false }
        usleep(5_000)
    }
}
