// pipe.c: the pipeline stage's side of `a | b | c` (pipe.h says the
// convention; docs/abi.md, "Pipelines", is the reference).
//
// Owns: the two ends a stage was given, the buffer being delivered
// (pipe_in) and the one being sent (pending). Relies on the channel
// calls and the continuation calls of syscall.h.
//
// Reading: pipe_next waits for a message at the input end (wait_msg); the
// continuation that runs takes it (chan_recv), checks it is a buffer, and
// calls the program's function. Without an input end the one buffer is a
// copy of the argument string.
//
// Writing: pipe_send moves the region on (chan_send). A full queue (16
// messages) is no error but back-pressure: the buffer waits here and the
// send is tried again a tick later. Without an output end the bytes go to
// the console.
#include "pipe.h"
#include "string.h"

struct pipe_buf pipe_in;

static uint64_t in_end, out_end;  // 0: not given (the console and the arguments instead)
static const char *args = "";
static bool args_read;  // the fallback input has been delivered

static cont_fn next_fn;  // the outstanding pipe_next
static long next_arg;

static struct pipe_buf pending;  // the outstanding pipe_send
static cont_fn sent_fn;
static long sent_arg;

void pipe_init(int ncaps, const uint64_t *caps) {
    struct cap_info info;
    if (ncaps >= 2 && cap_inspect(caps[1], &info) == 0 && info.type == OBJ_REGION &&
        strnlen((const char *)info.base, info.length) < info.length)
        args = (const char *)info.base;
    for (int i = 2; i < ncaps; i++) {
        long t = cap_type(caps[i]);
        if (t < 0 || (t >> 8) != OBJ_CHANNEL)
            continue;
        unsigned rights = (unsigned)t & (CAP_READ | CAP_WRITE);
        if (rights == CAP_READ && !in_end)
            in_end = caps[i];
        else if (rights == CAP_WRITE && !out_end)
            out_end = caps[i];
    }
}

bool pipe_reads_channel(void) { return in_end != 0; }
bool pipe_writes_channel(void) { return out_end != 0; }
const char *pipe_args(void) { return args; }

long pipe_alloc(struct pipe_buf *b, uint64_t size) {
    long r = region_new(size ? size : 1, CAP_READ | CAP_WRITE);
    struct cap_info info;
    if (r < 0)
        return r;
    cap_inspect((uint64_t)r, &info);
    *b = (struct pipe_buf){.region = (uint64_t)r, .data = (char *)info.base, .size = info.length};
    return 0;
}

void pipe_free(struct pipe_buf *b) {
    if (b->region)
        cap_drop(b->region);
    *b = (struct pipe_buf){0};
}

// --- Reading. ------------------------------------------------------------------

// Hand the program its buffer (have 1) or the end (have 0).
static long deliver(long have, long unused) { return next_fn(next_arg, have); }

// The fallback input: the arguments and a newline, once.
static long args_input(void) {
    args_read = true;
    size_t n = strlen(args);
    if (n == 0)
        return cont_queue(deliver, 0);
    long err = pipe_alloc(&pipe_in, n + 1);
    if (err)
        return err;
    memcpy(pipe_in.data, args, n);
    pipe_in.data[n] = '\n';
    pipe_in.len = n + 1;
    return cont_queue(deliver, 1);
}

// Is m a buffer: PIPE_DATA, one region we may read, write and hand on,
// holding at least the length it claims? Then it becomes pipe_in.
static bool take_buffer(const struct msg *m) {
    struct cap_info info;
    uint64_t need = CAP_READ | CAP_WRITE | CAP_GRANT;
    if (m->words[0] != PIPE_DATA || m->ncaps != 1 || cap_inspect(m->caps[0], &info) != 0 ||
        info.type != OBJ_REGION || (info.rights & need) != need || m->words[1] > info.length)
        return false;
    pipe_in = (struct pipe_buf){
        .region = m->caps[0], .data = (char *)info.base, .len = m->words[1], .size = info.length};
    return true;
}

static long got_message(long arg, long value) {
    struct msg m;
    long err = chan_recv(in_end, &m);
    if (err == E_EMPTY)  // woken, but another look found nothing: wait again
        return cont_wait_msg(in_end, got_message, 0);
    if (err == E_CLOSED)
        return deliver(0, 0);  // the writer has gone and everything it sent is read
    if (err)
        return err;
    if (!take_buffer(&m)) {
        for (uint64_t i = 0; i < m.ncaps && i < CHAN_MAX_CAPS; i++)
            if (m.caps[i])
                cap_drop(m.caps[i]);
        return E_INVAL;
    }
    return deliver(1, 0);
}

long pipe_next(cont_fn fn, long arg) {
    pipe_free(&pipe_in);  // the program kept the last one: it is done with it now
    next_fn = fn;
    next_arg = arg;
    if (in_end)
        return cont_wait_msg(in_end, got_message, 0);
    if (!args_read)
        return args_input();
    return cont_queue(deliver, 0);
}

// --- Writing. ------------------------------------------------------------------

static long try_send(long arg, long value) {
    if (!out_end) {
        long err = pending.len ? console_write(console_handle, pending.data, pending.len) : 0;
        pipe_free(&pending);
        return err < 0 ? err : cont_queue(sent_fn, sent_arg);
    }
    struct msg m = {.words = {PIPE_DATA, pending.len}, .caps = {pending.region}, .ncaps = 1};
    long err = chan_send(out_end, &m);
    if (err == E_FULL)  // the reader is behind: try again a tick later
        return cont_wait_time(1, try_send, 0);
    if (err == E_CLOSED)
        exit(0);  // nobody reads what we would write
    if (err) {
        pipe_free(&pending);
        return err;
    }
    pending = (struct pipe_buf){0};  // the region has moved on
    return cont_queue(sent_fn, sent_arg);
}

long pipe_send(struct pipe_buf *b, cont_fn then, long arg) {
    pending = *b;
    *b = (struct pipe_buf){0};
    sent_fn = then;
    sent_arg = arg;
    return try_send(0, 0);
}

long pipe_write(const void *bytes, uint64_t len, cont_fn then, long arg) {
    struct pipe_buf b;
    long err = pipe_alloc(&b, len);
    if (err)
        return err;
    memcpy(b.data, bytes, len);
    b.len = len;
    return pipe_send(&b, then, arg);
}
