// abi.h: the system-call interface between user programs and the kernel.
//
// Shared by the kernel and the user library (user/lib), so both agree on
// every number. docs/abi.md explains each call and its failure contract.
//
// A call: the number in rax, arguments in rdi, rsi, rdx, r10, r8, r9, then
// the `syscall` instruction. The result comes back in rax: a value >= 0,
// or a negative error below. rcx and r11 are overwritten (the CPU keeps
// the return address and flags there); every other register is preserved.
//
// Lab 05: every call that touches a resource names it by a capability
// handle (a slot of the caller's capability table and a generation, see
// cap.h). There is no ambient authority left: no console without a
// console capability, no memory without a region capability.
//
// Lab 06: a program is a set of continuations. Every continuation enters
// the program at its ELF entry point with rdi = fn, rsi = arg, rdx = value
// (fn 0: the first, main, with rsi = ncaps and rdx = the handles'
// address), on its user stack reset to the top; it ends with cont_return.
// Spawn returns at once; a program's end is an event (wait_proc).
#pragma once
#include <stdint.h>

#define SYS_EXIT        0   // exit(code): ends the program; never returns
#define SYS_WRITE       1   // write(console, buf, len): needs CAP_WRITE on a console; returns len
#define SYS_REGION_NEW  2   // region_new(len, rights): a new zeroed region; returns its handle
#define SYS_DROP        3   // drop(handle): deletes one capability
#define SYS_TICKS       4   // ticks(): timer ticks since boot (TIMER_HZ a second)
#define SYS_DERIVE      5   // derive(handle, rights, offset, length): returns the new handle
#define SYS_REVOKE      6   // revoke(handle): deletes every descendant; the handle stays
#define SYS_INSPECT     7   // inspect(handle, struct cap_info *out)
#define SYS_SPAWN       8   // spawn(name, name_len, const struct spawn_cap *caps, n)
#define SYS_PROC_STATUS 9   // proc_status(handle, struct proc_status *out)
#define SYS_CAP_TYPE    10  // cap_type(handle): (type << 8) | rights; only looks the handle up
#define SYS_READ        11  // read(console, buf, len): buffered input (CAP_READ); never waits
#define SYS_CONT_RETURN 12  // cont_return(value): 0 nothing more; else the program ends with it
#define SYS_CONT_QUEUE  13  // cont_queue(fn, arg): run fn(arg, 0) after this one returns
#define SYS_WAIT_TIME   14  // wait_time(ticks, fn, arg): fn(arg, now) once ticks have passed
#define SYS_WAIT_INPUT  15  // wait_input(console, fn, arg): fn(arg, bytes buffered) on input
#define SYS_WAIT_PROC   16  // wait_proc(handle, fn, arg): fn(arg, state) when it has ended
// final/: channels (channel.c) and the shell's calls (sys.c).
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

// Rights a capability carries.
#define CAP_READ  1u  // a region: mapped, readable. A console: read and wait_input
#define CAP_WRITE 2u  // a region: writable. A console: write
#define CAP_EXEC  4u  // a region: executable (never with CAP_WRITE from region_new)
#define CAP_GRANT 8u  // may be handed to another process (spawn)
#define CAP_ALL   15u

// Object types (cap_info.type, cap_type() >> 8).
#define OBJ_REGION  1
#define OBJ_PROCESS 2
#define OBJ_CONSOLE 3
#define OBJ_CHANNEL 4  // final/: one endpoint of a channel
#define OBJ_POWER   5  // final/: the operator's: power off, trace (the shell's)

// final/: a message. words are copied; caps[0..ncaps) are handles that
// move from the sender's table to the receiver's (chan_recv fills in the
// receiver's new handles; 0 for one revoked while it was queued).
#define CHAN_WORDS    4
#define CHAN_MAX_CAPS 4
#define CHAN_QUEUE    16  // messages queued at one end, at most (then E_FULL)
struct msg {
    uint64_t words[CHAN_WORDS];
    uint64_t caps[CHAN_MAX_CAPS];
    uint64_t ncaps;
};

// What inspect() fills in. base is the address of the capability's first
// byte (the region's address plus the capability's offset); 0 for others.
struct cap_info {
    uint64_t type, rights, base, length;
};

// One capability handed to spawn(): copied (a child of the source in the
// derivation tree) or, with SPAWN_MOVE, moved (the caller loses it).
#define SPAWN_MOVE     1u
#define SPAWN_MAX_CAPS 64
struct spawn_cap {
    uint64_t handle;
    uint64_t flags;
};

// What proc_status() fills in.
#define PROC_EXITED     1
#define PROC_KILLED     2
#define PROC_REASON_MAX 160
struct proc_status {
    int64_t state;                 // PROC_EXITED or PROC_KILLED
    int64_t code;                  // exit()'s argument, all 64 bits; -1 when killed
    char reason[PROC_REASON_MAX];  // why it was killed ("" when it exited)
};

// final/: what sysinfo() fills in, by kind.
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

// final/: the continuation trace (trace.c, docs/trace.md). trace(power,
// TRACE_ON), when it was off, empties the ring and records from event 0;
// TRACE_OFF stops; either returns the previous mode. sysinfo(SYSINFO_TRACE, seq, buf, len)
// writes the line (NUL-terminated, no newline) of the oldest event still
// in the ring numbered seq or later, and returns its number; E_NOENT when
// there is none. buf holds TRACE_LINE_MAX bytes at least.
#define TRACE_OFF      0
#define TRACE_ON       1
#define TRACE_RING     512  // events kept; older ones are overwritten
#define TRACE_LINE_MAX 160

// Errors (negative results).
#define E_FAULT     (-1)   // a pointer argument is not the program's memory
#define E_INVAL     (-2)   // an argument is out of range (lengths, offsets, flags)
#define E_NOMEM     (-3)   // out of memory or address space
#define E_NOSYS     (-4)   // no system call with that number
#define E_BADHANDLE (-5)   // not a live capability of the caller: 0, forged, stale or foreign
#define E_TYPE      (-6)   // a capability of the wrong type for this call
#define E_RIGHTS    (-7)   // the capability lacks a right the call needs
#define E_FULL      (-8)   // the destination capability table is full (CAP_MAX_SLOTS)
#define E_NOENT     (-9)   // spawn: no program of that name
#define E_LIMIT     (-10)  // spawn: nested too deep (PROC_MAX_DEPTH); lab 06: too many records
#define E_BADPROG   (-11)  // spawn: the program file was refused (bad ELF)
#define E_CLOSED    (-12)  // final/: the channel's other end is closed
#define E_EMPTY     (-13)  // final/: chan_recv: no message queued

// Lab 04's map() flags, kept for the user library's map() wrapper.
#define MAP_WRITE 1
#define MAP_EXEC  2
