// failtest: a little of everything that allocates, for failsweep=failtest
// (kernel/failalloc.c), which runs it again and again with the first,
// second, third ... kernel allocation failing. It loads, makes a region
// and a read-only copy of it, a channel, spawns a child (itself) with one
// end, sends it the copy, and waits for the child's end; the child
// receives the region and checks the word in it. Each step that fails
// ends the program with the error (the child's end closes with it); with
// nothing failing, both exit 0.
#include "printf.h"
#include "syscall.h"

#define WORD 0xfa11a110c

static uint64_t region, copy, ends[2], child;
static const uint64_t *region_word;

static long child_got(long end, long queued);
static long parent_done(long unused, long state);

// The child: wait for the message on its end (caps[1]).
static long child_main(uint64_t end) {
    long err = cont_wait_msg(end, child_got, (long)end);
    return err ? err : 0;
}

static long child_got(long end, long queued) {
    if (queued < 0)
        return queued;  // E_CLOSED: the parent ended first
    struct msg m;
    long err = chan_recv((uint64_t)end, &m);
    if (err)
        return err;
    struct cap_info info;
    if (m.ncaps != 1 || (err = cap_inspect(m.caps[0], &info)) != 0)
        return err ? err : -100;
    return *(const uint64_t *)info.base == WORD ? 0 : -101;
}

int main(int ncaps, const uint64_t *caps) {
    if (ncaps == 2 && (cap_type(caps[1]) >> 8) == OBJ_CHANNEL)
        return child_main(caps[1]);
    struct cap_info info;
    long r = region_new(8192, CAP_READ | CAP_WRITE);
    if (r < 0 || (r = cap_inspect((uint64_t)(region = (uint64_t)r), &info)) != 0)
        return r;
    region_word = (const uint64_t *)info.base;
    *(uint64_t *)info.base = WORD;
    long c = cap_derive(region, CAP_READ | CAP_GRANT, 0, 4096);
    if (c < 0)
        return c;
    copy = (uint64_t)c;
    if ((r = channel_new(ends)) != 0)
        return r;
    struct spawn_cap give[2] = {{console_handle, 0}, {ends[1], SPAWN_MOVE}};
    long h = spawn("failtest", give, 2);
    if (h < 0)
        return h;
    child = (uint64_t)h;
    struct msg m = {.words = {1}, .caps = {copy}, .ncaps = 1};
    if ((r = chan_send(ends[0], &m)) != 0)
        return r;
    if ((r = cont_wait_proc(child, parent_done, 0)) != 0)
        return r;
    return 0;
}

// The child has ended: it must have exited 0; then give everything back.
static long parent_done(long unused, long state) {
    struct proc_status st;
    long err = proc_status(child, &st);
    if (err)
        return err;
    if (state != PROC_EXITED || st.code != 0)
        return -102;
    if (*region_word != WORD)
        return -103;  // the copy moved away; the original is still ours
    long drops = cap_drop(child) | cap_drop(ends[0]) | cap_drop(region);
    return drops ? -104 : 0;
}
