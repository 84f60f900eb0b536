// chansys.c: final/'s system-call wrappers: channels, the shell's calls
// (sysinfo, kill, poweroff, trace) and region_phys. The rest, and how a
// call is made, are in syscall.c (lab 06's, unchanged).
#include "syscall.h"

long channel_new(uint64_t out[2]) { return sys_call(SYS_CHANNEL_NEW, (long)out, 0, 0); }
long chan_send(uint64_t ep, const struct msg *m) {
    return sys_call(SYS_CHAN_SEND, (long)ep, (long)m, 0);
}
long chan_recv(uint64_t ep, struct msg *m) { return sys_call(SYS_CHAN_RECV, (long)ep, (long)m, 0); }
long cont_wait_msg(uint64_t ep, cont_fn fn, long arg) {
    return sys_call(SYS_WAIT_MSG, (long)ep, (long)fn, arg);
}
long cont_wait_recv(uint64_t ep, cont_fn fn, long arg) {
    return sys_call(SYS_WAIT_RECV, (long)ep, (long)fn, arg);
}
long region_phys(uint64_t handle) { return sys_call(SYS_REGION_PHYS, (long)handle, 0, 0); }
long sysinfo(long kind, long arg, void *buf, unsigned long len) {
    return sys_call4(SYS_SYSINFO, kind, arg, (long)buf, (long)len);
}
long kill(uint64_t process) { return sys_call(SYS_KILL, (long)process, 0, 0); }
long poweroff(uint64_t power, long code) { return sys_call(SYS_POWEROFF, (long)power, code, 0); }
long trace(uint64_t power, long mode) { return sys_call(SYS_TRACE, (long)power, mode, 0); }
