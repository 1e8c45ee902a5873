/* LD_PRELOAD hook for ThreadSanitizer runs (scripts/sanitize.sh builds and loads it; x86_64 only).
 *
 * Synchronization.Mutex's fast paths are atomics inlined into our (instrumented) code, but its contended paths,
 * _MutexHandle._lockSlow and _unlockSlow in libswiftSynchronization.so (futex PI), are not instrumented. TSan then
 * misses the happens-before edge of every contended lock hand-over and reports the critical section itself as a
 * race. This hook wraps those two functions and tells TSan what they do: an acquire of the lock word after the
 * contended lock returns, a release before the contended unlock runs. It hides no report; it restores the edges.
 *
 * Swift passes the _MutexHandle (whose first word is the lock word) in r13 and the callee preserves r13. */
#define _GNU_SOURCE
#include <dlfcn.h>

#define LOCK_SLOW "$s15Synchronization12_MutexHandleV9_lockSlowyys6UInt32VF"
#define UNLOCK_SLOW "$s15Synchronization12_MutexHandleV11_unlockSlowyyF"

/* Weak: `swift test` preloads this into every process it starts (the compiler too), and only the test binary has
   the TSan runtime. Elsewhere the hooks just forward. */
extern void __tsan_acquire(void *addr) __attribute__((weak));
extern void __tsan_release(void *addr) __attribute__((weak));

__attribute__((visibility("hidden"))) void *gw_real_lock_slow;
__attribute__((visibility("hidden"))) void *gw_real_unlock_slow;

__attribute__((visibility("hidden"))) void gw_acquire(void *lock_word) {
    if (__tsan_acquire) __tsan_acquire(lock_word);
}

__attribute__((visibility("hidden"))) void gw_release(void *lock_word) {
    if (__tsan_release) __tsan_release(lock_word);
}

/* Resolved before main: a process that calls the hooks links libswiftSynchronization, which is loaded by then.
   scripts/sanitize.sh checks that the library still exports both names. */
__attribute__((constructor)) static void gw_hook_init(void) {
    gw_real_lock_slow = dlsym(RTLD_NEXT, LOCK_SLOW);
    gw_real_unlock_slow = dlsym(RTLD_NEXT, UNLOCK_SLOW);
}

__asm__(
    ".text\n"
    ".globl \"" LOCK_SLOW "\"\n"
    ".type \"" LOCK_SLOW "\",@function\n"
    "\"" LOCK_SLOW "\":\n"
    "    pushq %r13\n"
    "    callq *gw_real_lock_slow(%rip)\n"
    "    popq %rdi\n"
    "    jmp gw_acquire\n"
    ".globl \"" UNLOCK_SLOW "\"\n"
    ".type \"" UNLOCK_SLOW "\",@function\n"
    "\"" UNLOCK_SLOW "\":\n"
    "    pushq %r13\n"
    "    movq %r13, %rdi\n"
    "    callq gw_release\n"
    "    popq %r13\n"
    "    jmp *gw_real_unlock_slow(%rip)\n");
