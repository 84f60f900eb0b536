// syscall.h: the system calls, as C functions (syscall.c).
//
// kernel/abi.h holds the numbers, the rights, the structures and the error
// codes; it is included here, so a program can write CAP_WRITE or E_FAULT.
// Every call returns a value >= 0 on success or a negative E_ error;
// docs/abi.md says which errors each one gives.
//
// A program's main may take its initial capabilities:
//     int main(int ncaps, const uint64_t *caps)
// (programs started by run= get one: the console, in caps[0]); lab 04's
// `int main(void)` programs still work.
//
// Lab 06: main is the program's first continuation. Returning 0 from it
// (or from any continuation) means "nothing more from me": the program
// goes on with the continuations it queued and those waiting for events,
// and ends when there are none. Returning anything else ends the program
// with that code; a negative one is an error (the kernel says so).
#pragma once
#include <stdint.h>
#include "abi.h"

// Any system call, by number, with up to four arguments: the raw result.
// The functions below are built on it; tests use it for unknown numbers.
long sys_call(long number, long a, long b, long c);
long sys_call4(long number, long a, long b, long c, long d);

// End the program with a 64-bit code (0: success), printed by the kernel.
void exit(long code) __attribute__((noreturn));

// --- Capabilities (lab 05). -------------------------------------------------
long console_write(uint64_t console, const void *buf, unsigned long len);
long region_new(unsigned long len, unsigned rights);  // a handle, or an error
long cap_derive(uint64_t handle, unsigned rights, unsigned long offset, unsigned long length);
long cap_revoke(uint64_t handle);
long cap_drop(uint64_t handle);
long cap_inspect(uint64_t handle, struct cap_info *out);
long cap_type(uint64_t handle);  // (type << 8) | rights
long spawn(const char *name, const struct spawn_cap *caps, unsigned long n);
long proc_status(uint64_t handle, struct proc_status *out);

// The console handle the program started with (the first console
// capability among its initial ones; 0 if it was given none).
extern uint64_t console_handle;

// --- Continuations (lab 06). ------------------------------------------------
// A continuation: a function of the program and a word for it. `value` is
// what its event delivered (0 for cont_queue). Each starts on the
// program's user stack reset to its top: locals do not survive it; keep
// state in globals or memory the program holds.
typedef long (*cont_fn)(long arg, long value);

// Run fn(arg, 0) after the running continuation returns: 0, or E_NOMEM
// or E_LIMIT (too many records queued and waiting).
long cont_queue(cont_fn fn, long arg);
// Run fn(arg, now) once `ticks` timer ticks have passed (never earlier);
// now is the tick it woke at. E_INVAL for more than 2^32 ticks.
long cont_wait_time(long ticks, cont_fn fn, long arg);
// Run fn(arg, n) when the console has input (n bytes buffered; at once if
// some are already there): the console it started with needs CAP_READ.
long cont_wait_input(cont_fn fn, long arg);
// Run fn(arg, state) when the process behind `handle` has ended (at once
// if it has): state is PROC_EXITED or PROC_KILLED (proc_status() gives the
// code and the reason), or E_BADHANDLE if the capability went meanwhile.
// The call itself fails with E_BADHANDLE / E_TYPE for a bad handle.
long cont_wait_proc(uint64_t handle, cont_fn fn, long arg);
// End the running continuation (what returning from it does).
void cont_return(long value) __attribute__((noreturn));
// Up to len bytes of buffered console input; 0 when there is none.
long console_read(uint64_t console, void *buf, unsigned long len);
long read(void *buf, unsigned long len);  // from console_handle

// --- Channels (final/). -----------------------------------------------------
// Two endpoints: out[0] and out[1], each READ | WRITE | GRANT.
long channel_new(uint64_t out[2]);
// Send m on endpoint ep: its words are copied and its capabilities MOVE
// (they leave this program; a region is unmapped from it). All or nothing:
// E_BADHANDLE / E_RIGHTS (a capability without CAP_GRANT) / E_INVAL (one
// named twice, or an end of this very channel) / E_FULL (the queue holds
// CHAN_QUEUE messages) / E_CLOSED (the other end is gone) change nothing.
long chan_send(uint64_t ep, const struct msg *m);
// Take the oldest message queued at ep into *m; its capabilities enter
// this program's table (m->caps: the new handles). E_EMPTY when none,
// E_CLOSED when none and the other end is gone, E_FULL when this table
// has no room (the message stays queued).
long chan_recv(uint64_t ep, struct msg *m);
// Run fn(arg, n) when messages are queued at ep (n of them; at once if
// some are), or fn(arg, E_CLOSED) once the other end is gone.
long cont_wait_msg(uint64_t ep, cont_fn fn, long arg);
// As cont_wait_msg, but the kernel receives the message for fn as it
// starts: fn(arg, value) with value the address of the message (a struct
// msg on top of fn's stack, valid while fn runs) when value > 0; else
// chan_recv's error (E_CLOSED: the other end is gone and nothing queued).
long cont_wait_recv(uint64_t ep, cont_fn fn, long arg);
// A call in one system call: send m (NULL: an empty message) on ep, then
// wait at ep as cont_wait_recv(ep, fn, arg) does, and end the running
// continuation (as returning 0). Returns only with an error, and then
// nothing was sent and nothing waits (chan_send's errors, E_LIMIT, E_NOMEM).
// Inline: it is on every call and every reply (ipc_call_reply), and the
// system call itself is three instructions.
static inline long chan_call(uint64_t ep, const struct msg *m, cont_fn fn, long arg) {
    long result;
    register long r10 __asm__("r10") = arg;
    __asm__ volatile("syscall"
                     : "=a"(result)
                     : "a"((long)SYS_CHAN_CALL), "D"(ep), "S"(m), "d"(fn), "r"(r10)
                     : "rcx", "r11", "memory");
    return result;
}
// The physical address of the region's first page (to show that a moved
// region keeps its frames).
long region_phys(uint64_t handle);

// --- The shell's calls (final/). ----------------------------------------------
// kind SYSINFO_PROGRAM / _PROC / _CAPS / _MEM (kernel/abi.h says what each fills in).
long sysinfo(long kind, long arg, void *buf, unsigned long len);
// End the program behind a process handle (needs CAP_WRITE: its parent's).
long kill(uint64_t process);
// Power the machine off (needs the power capability the shell is given).
long poweroff(uint64_t power, long code);
// final/: the continuation trace: TRACE_ON or TRACE_OFF; the previous mode (abi.h).
long trace(uint64_t power, long mode);

// --- Lab 04's calls, kept as library functions over the ones above. -------

// Write len bytes to the console it started with: len, or E_FAULT (then
// nothing is written), or E_BADHANDLE when it was given no console.
long write(const void *buf, unsigned long len);

// len bytes of fresh zeroed memory, readable, plus MAP_WRITE or MAP_EXEC
// (never both): region_new then inspect. map() returns its address, or
// NULL on any error; map_raw() returns the address or the error itself.
void *map(unsigned long len, int flags);
long map_raw(unsigned long len, int flags);

// Give back a region map() returned, with the len passed to map(): drops
// its capability. 0 or E_INVAL.
long unmap(void *addr, unsigned long len);

// Timer ticks since boot (TIMER_HZ, 100, a second).
long ticks(void);
