// channel.h: channels, a pair of endpoints that carry messages (final/).
//
// channel_new makes two endpoint objects and gives the caller a capability
// to each. A message sent on one endpoint is queued at the other. Each
// message carries CHAN_WORDS words and up to CHAN_MAX_CAPS capabilities;
// the capabilities move: they leave the sender's table when the message is
// queued and enter the receiver's when it is received. A region moved this
// way is unmapped from the sender's view and mapped in the receiver's at
// the same address, with the same frames: nothing is copied.
#pragma once
#include <stdint.h>
#include "abi.h"
#include "cap.h"

#define WAIT_MSG  4  // cont.h's c->wait: waiting at an endpoint (c->word)
#define WAIT_RECV 5  // runnable, and receives its message as it starts (c->index: the handle)

struct cont;
struct proc;

// One message in a queue. The capabilities wait in the endpoint's transit
// table (a table with no view: it maps nothing); a handle there that went
// stale (revoked meanwhile) is delivered as 0.
struct kmsg {
    uint64_t words[CHAN_WORDS];
    uint64_t transit[CHAN_MAX_CAPS];
    uint32_t ncaps;
};

struct endpoint {
    struct object obj;              // OBJ_CHANNEL; refs: the capabilities naming it
    struct endpoint *peer;          // the other end (inside the same struct channel)
    bool closed;                    // its last capability is gone
    bool finished;                  // ... and its queue has been dropped (channel.c)
    struct endpoint *next_closing;  // the list of ends being closed
    struct kmsg queue[CHAN_QUEUE];  // messages sent to this end, a ring
    uint32_t head, count;
    struct cap_table transit;  // the queued messages' capabilities
};

// The kernel's side, on a table (the system calls below pass the
// caller's, after copying the message in; tests pass their own).
// channel_create: two endpoint handles in h. chan_send and chan_recv: all
// or nothing, 0 or an E_ error (docs/abi.md lists which).
int channel_create(struct cap_table *t, int64_t h[2]);
int chan_send(struct cap_table *t, uint64_t handle, const struct msg *m);
int chan_recv(struct cap_table *t, uint64_t handle, struct msg *out);

int64_t sys_channel_new(uint64_t out, uint64_t unused1, uint64_t unused2, uint64_t unused3);
int64_t sys_chan_send(uint64_t endpoint, uint64_t msg, uint64_t unused1, uint64_t unused2);
int64_t sys_chan_recv(uint64_t endpoint, uint64_t msg, uint64_t unused1, uint64_t unused2);
int64_t sys_wait_msg(uint64_t endpoint, uint64_t fn, uint64_t arg, uint64_t unused);
int64_t sys_wait_recv(uint64_t endpoint, uint64_t fn, uint64_t arg, uint64_t unused);
int64_t sys_chan_call(uint64_t endpoint, uint64_t msg, uint64_t fn, uint64_t arg);
// The dispatcher, starting a WAIT_RECV record of p's on the stack at rsp:
// receive the message at `handle` onto the top of that stack. The new rsp;
// *value: the message's address, or the error chan_recv gave.
uint64_t chan_deliver(struct proc *p, uint32_t handle, uint64_t rsp, uint64_t *value);

// sys.c (final/): the shell's calls, and the list of live programs
// (sys_init hooks it into procrun.c's starts and ends).
void sys_init(void);
int64_t sys_region_phys(uint64_t handle, uint64_t unused1, uint64_t unused2, uint64_t unused3);
int64_t sys_sysinfo(uint64_t kind, uint64_t arg, uint64_t buf, uint64_t len);
int64_t sys_kill(uint64_t handle, uint64_t unused1, uint64_t unused2, uint64_t unused3);
int64_t sys_poweroff(uint64_t handle, uint64_t code, uint64_t unused2, uint64_t unused3);
extern struct object power_object;  // OBJ_POWER: given to the shell at boot
// Start the shell (the normal boot): never returns.
_Noreturn void shell_boot(void);

// obj_release of an endpoint: the end closes. obj_release_more (capsys.c
// calls it for the types final/ adds) sends endpoints here.
void endpoint_release(struct object *obj);
void obj_release_more(struct object *obj);
// p is ending: free its records waiting for messages.
void channel_cancel(struct proc *p);
uint64_t channel_live_count(void);  // channels with at least one end open
