// abi_more.h: what final/ adds to abi.h: channels and the shell's calls.
//
// Shared by the kernel and the user library like abi.h, which includes
// this file at its end; docs/abi.md explains each call.
#pragma once

// Channels (channel.c) and the shell's calls (sys.c, trace.c).
#define SYS_CHANNEL_NEW 17  // channel_new(uint64_t out[2]): two endpoint handles
#define SYS_CHAN_SEND   18  // chan_send(endpoint, const struct msg *): CAP_WRITE; all or nothing
#define SYS_CHAN_RECV   19  // chan_recv(endpoint, struct msg *): CAP_READ; never waits
#define SYS_WAIT_MSG    20  // wait_msg(endpoint, fn, arg): fn(arg, messages queued or E_CLOSED)
#define SYS_REGION_PHYS 21  // region_phys(handle): the physical address of its first page
#define SYS_SYSINFO     22  // sysinfo(kind, arg, buf, len): programs, processes, counts
#define SYS_KILL        23  // kill(process handle): CAP_WRITE on it; ends that program
#define SYS_POWEROFF    24  // poweroff(power handle, code): CAP_WRITE on the power object
#define SYS_TRACE       25  // trace(power handle, mode): CAP_WRITE on the power object
#define SYS_WAIT_RECV \
    26  // wait_recv(endpoint, fn, arg): as wait_msg, and the message is received for fn
#define SYS_CHAN_CALL \
    27  // chan_call(endpoint, const struct msg * or 0, fn, arg): send, wait_recv, end
#define SYS_COUNT 28

// The handle spawn returns: READ (its status), WRITE (kill it), GRANT.
#define SPAWN_PROC_RIGHTS (CAP_READ | CAP_WRITE | CAP_GRANT)

#define OBJ_CHANNEL 4  // one endpoint of a channel
#define OBJ_POWER   5  // the operator's: power off, trace (the shell's)

// A message. words are copied; caps[0..ncaps) are handles that move from
// the sender's table to the receiver's (chan_recv fills in the receiver's
// new handles; 0 for one revoked while it was queued).
#define CHAN_WORDS    4
#define CHAN_MAX_CAPS 4
#define CHAN_QUEUE    16  // messages queued at one end, at most (then E_FULL)
struct msg {
    uint64_t words[CHAN_WORDS];
    uint64_t caps[CHAN_MAX_CAPS];
    uint64_t ncaps;
};

// What sysinfo() fills in, by kind.
#define SYSINFO_PROGRAM 0  // the name of boot module `arg` (a string)
#define SYSINFO_PROC    1  // struct sys_proc of live program number `arg`
#define SYSINFO_CAPS    2  // struct sys_cap[len] of the program with pid `arg`: the count
#define SYSINFO_MEM     3  // struct sys_mem
#define SYSINFO_TRACE   4  // the text of trace event `arg` or the next one; returns its number
struct sys_proc {
    uint64_t pid, caps, conts;  // capabilities held, continuation records
    char name[40];
};
struct sys_cap {
    uint64_t handle, type, rights, base, length;
};
struct sys_mem {
    uint64_t free_frames, regions, caps, conts, channels;
};

// The continuation trace (trace.c, docs/trace.md). trace(power,
// TRACE_ON), when it was off, empties the ring and records from event 0;
// TRACE_OFF stops; either returns the previous mode. sysinfo(SYSINFO_TRACE, seq, buf, len)
// writes the line (NUL-terminated, no newline) of the oldest event still
// in the ring numbered seq or later, and returns its number; E_NOENT when
// there is none. buf holds TRACE_LINE_MAX bytes at least.
#define TRACE_OFF      0
#define TRACE_ON       1
#define TRACE_RING     512  // events kept; older ones are overwritten
#define TRACE_LINE_MAX 160

#define E_CLOSED (-12)  // the channel's other end is closed
#define E_EMPTY  (-13)  // chan_recv: no message queued
