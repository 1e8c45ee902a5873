#ifndef GATEWAY_CSHIM_H
#define GATEWAY_CSHIM_H
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/timerfd.h>
#include <sys/socket.h>
#include <sys/signalfd.h>
#include <signal.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <stdint.h>

/* accept4 needs _GNU_SOURCE, which Swift's Glibc module does not define. */
int cshim_accept4(int fd, struct sockaddr *addr, socklen_t *len, int flags);
int cshim_pin_current_thread(int cpu);
int cshim_set_thread_name(const char *name);
int cshim_gettid(void);
/* Installs process-wide handlers for SIGINT, SIGTERM and SIGHUP that write the signal number (one byte)
   to a self-pipe, and returns the pipe's read end (or -1). Unlike a signal mask this works whichever
   thread the kernel picks, including threads the runtime started before us. */
int cshim_termination_signal_fd(void);
/* Ignores SIGPIPE process-wide so a write to a reset socket returns EPIPE instead of killing us. */
void cshim_ignore_sigpipe(void);
/* Number of online CPUs this process may run on. */
int cshim_available_cpus(void);
#endif
