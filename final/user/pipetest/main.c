// pipetest: the pipeline convention from a stage's outside (lib/pipe.h,
// docs/abi.md "Pipelines"). It plays the shell and both neighbours of one
// stage at a time: it spawns `upper` or `gen` with the capabilities a
// pipeline stage gets, sends it buffers, good and bad, and watches what
// comes out and how the stage ends.
//
//   1. a good buffer comes back uppercased, in the same region, on the
//      same frames (changed in place: nothing copied);
//   2. closing the stage's input ends it (exit 0) and closes its output;
//   3. a message that is not a buffer (a wrong tag, a length past the
//      region, a read-only region) ends it with E_INVAL;
//   4. a stage whose reader has gone ends with 0, quietly.
#include "check.h"
#include "pipe.h"
#include "printf.h"
#include "string.h"

static uint64_t console;
static uint64_t to_stage, from_stage;  // our ends of its input and output channels (0: none)
static uint64_t child;                 // its process capability
static long sent_phys;

static void drop(uint64_t *h) {
    if (*h)
        cap_drop(*h);
    *h = 0;
}

// Channel c; give the stage end `give` derived to `rights`, keep the other.
static long stage_end(int give, unsigned rights, uint64_t *keep, struct spawn_cap *out) {
    uint64_t c[2];
    if (channel_new(c) != 0)
        return -1;
    long d = cap_derive(c[give], rights | CAP_GRANT, 0, 0);
    cap_drop(c[give]);
    *keep = c[1 - give];
    *out = (struct spawn_cap){(uint64_t)d, SPAWN_MOVE};
    return d;
}

// Spawn `name args` as a stage: with an input end and/or an output end.
static bool start(const char *name, const char *args, bool input, bool output) {
    struct spawn_cap give[4] = {{console, 0}};
    int n = 1;
    long region = region_new(4096, CAP_READ | CAP_WRITE);
    struct cap_info info;
    if (region < 0 || cap_inspect((uint64_t)region, &info) != 0)
        return false;
    strlcpy((char *)info.base, args, 4096);
    give[n++] = (struct spawn_cap){
        (uint64_t)cap_derive((uint64_t)region, CAP_READ | CAP_GRANT, 0, 0), SPAWN_MOVE};
    cap_drop((uint64_t)region);
    if (input && stage_end(1, CAP_READ, &to_stage, &give[n++]) < 0)
        return false;
    if (output && stage_end(0, CAP_WRITE, &from_stage, &give[n++]) < 0)
        return false;
    long h = spawn(name, give, (unsigned long)n);
    child = h > 0 ? (uint64_t)h : 0;
    return h > 0;
}

// A region of `len` bytes holding `text`, with `rights` (READ|WRITE or READ).
static uint64_t buffer(const char *text, uint64_t len, unsigned rights) {
    long r = region_new(len, CAP_READ | CAP_WRITE);
    struct cap_info info;
    if (r < 0 || cap_inspect((uint64_t)r, &info) != 0)
        return 0;
    strlcpy((char *)info.base, text, len);
    if (rights == (CAP_READ | CAP_WRITE))
        return (uint64_t)r;
    long ro = cap_derive((uint64_t)r, rights | CAP_GRANT, 0, 0);
    cap_drop((uint64_t)r);
    return ro > 0 ? (uint64_t)ro : 0;
}

static bool send_buffer(uint64_t tag, uint64_t len, uint64_t region) {
    struct msg m = {.words = {tag, len}, .caps = {region}, .ncaps = 1};
    return chan_send(to_stage, &m) == 0;
}

static long ended_with(long state) {
    struct proc_status st;
    if (state != PROC_EXITED || proc_status(child, &st) != 0)
        return -100;
    return st.code;
}

// --- 4. A writer without a reader. ---------------------------------------------

static long gen_ended(long arg, long state) {
    CHECK(ended_with(state) == 0, "a stage whose reader has gone ends with 0");
    drop(&child);
    return checks_done();
}

static long writer_without_reader(void) {
    CHECK(start("gen", "99999", false, true), "gen is spawned with an output end");
    drop(&from_stage);  // nobody will read
    return cont_wait_proc(child, gen_ended, 0);
}

// --- 3. Messages that are not buffers. -----------------------------------------

static const char *bad_names[] = {
    "a message with a wrong tag ends the stage with E_INVAL",
    "a length past the region's end ends the stage with E_INVAL",
    "a read-only region ends the stage with E_INVAL",
};

static long bad_message(long k, long unused);

static long bad_ended(long k, long state) {
    CHECK(ended_with(state) == E_INVAL, bad_names[k]);
    drop(&child);
    drop(&to_stage);
    drop(&from_stage);
    if (k + 1 < 3)
        return bad_message(k + 1, 0);
    return writer_without_reader();
}

static long bad_message(long k, long unused) {
    if (!start("upper", "", true, true))
        return 1;
    bool sent = k == 0   ? send_buffer(7, 4, buffer("bad", 4096, CAP_READ | CAP_WRITE))
                : k == 1 ? send_buffer(PIPE_DATA, 4097, buffer("bad", 4096, CAP_READ | CAP_WRITE))
                         : send_buffer(PIPE_DATA, 4, buffer("bad", 4096, CAP_READ));
    CHECK(sent, "a malformed message is sent to upper");
    return cont_wait_proc(child, bad_ended, k);
}

// --- 1 and 2. A good buffer; the end of the input. ------------------------------

static long upper_ended(long arg, long state) {
    CHECK(ended_with(state) == 0, "the end of its input ends the stage with 0");
    drop(&child);
    drop(&from_stage);
    return bad_message(0, 0);
}

static long output_closed(long arg, long value) {
    struct msg m;
    CHECK(value == E_CLOSED && chan_recv(from_stage, &m) == E_CLOSED,
          "the end of its input closes the stage's output");
    return cont_wait_proc(child, upper_ended, 0);
}

static long came_back(long arg, long value) {
    struct msg m;
    struct cap_info info;
    bool got = value >= 1 && chan_recv(from_stage, &m) == 0 && m.ncaps == 1 &&
               cap_inspect(m.caps[0], &info) == 0;
    CHECK(got && m.words[0] == PIPE_DATA && m.words[1] == 12, "upper sends one buffer on");
    CHECK(got && memcmp((char *)info.base, "HELLO PIPES\n", 12) == 0 &&
              ((char *)info.base)[12] == 'x',
          "its bytes are uppercased, the ones past its length untouched");
    CHECK(got && region_phys(m.caps[0]) == sent_phys,
          "in the region sent, on the same frames (nothing copied)");
    if (got)
        cap_drop(m.caps[0]);
    drop(&to_stage);  // the end of upper's input
    return cont_wait_msg(from_stage, output_closed, 0);
}

int main(int ncaps, const uint64_t *caps) {
    console = caps[0];
    CHECK(start("upper", "", true, true), "upper is spawned with an input and an output end");
    uint64_t r = buffer("hello pipes\nxyz", 64 * 1024, CAP_READ | CAP_WRITE);
    sent_phys = region_phys(r);
    CHECK(r && send_buffer(PIPE_DATA, 12, r), "a buffer of 12 bytes is sent to upper");
    return cont_wait_msg(from_stage, came_back, 0);
}
