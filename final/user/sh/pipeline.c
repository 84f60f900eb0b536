// pipeline.c: the shell's pipelines, `a | b | c` (final/).
//
// Neighbouring stages are joined by a channel: stage i writes end 0 of
// channel i, stage i+1 reads its end 1. Each stage is spawned with the
// convention of user/lib/pipe.h (docs/abi.md, "Pipelines"): caps[0] a
// console that can only write, caps[1] its arguments (read-only), then
// its input end derived to READ only, then its output end derived to
// WRITE only (the first stage has no input end, the last no output end:
// it writes to the console). The shell drops its own handles to the ends
// once the stages hold theirs, so an end closes exactly when the stage
// holding it ends: that is the end of the stream for the next stage.
//
// The built-in echo may start a pipeline: the shell itself sends its
// words and a newline as one buffer and closes the channel.
//
// The shell waits for every stage (one process-end wait each), reports a
// stage that was killed or ended with a code other than 0, and prompts
// when the last one has ended.
#include "sh.h"
#include "pipe.h"
#include "printf.h"
#include "string.h"
#include "syscall.h"

#define STAGE_WORDS 16
#define ARGS_MAX    128  // a line's length: the arguments always fit

struct stage {
    uint64_t handle;  // the process capability (0: not running)
    char name[40];
};
static struct stage stages[PIPE_STAGES];
static int running;  // stages that have not ended yet

// ends[i]: the shell's handles to channel i (0 once dropped); stage i
// writes ends[i][0], stage i + 1 reads ends[i][1].
static uint64_t ends[PIPE_STAGES - 1][2];

void pipeline_help(void) {
    printf("pipelines: <program> [args] | <program> [args] | ... (at most %d stages; echo <words>\n"
           "          may start one): buffers move between stages through channels, the last\n"
           "          stage writes to the console; gen, upper, wc, sum, slow and crash take part\n",
           PIPE_STAGES);
}

static void drop_end(uint64_t *h) {
    if (*h)
        cap_drop(*h);
    *h = 0;
}

static void drop_all_ends(void) {
    for (int i = 0; i < PIPE_STAGES - 1; i++) {
        drop_end(&ends[i][0]);
        drop_end(&ends[i][1]);
    }
}

// words[1..n) one space apart, into out (ARGS_MAX bytes: they come from a
// line, so they fit).
static void join(char **words, int n, char *out) {
    size_t used = 0;
    for (int i = 1; i < n; i++) {
        size_t w = strlen(words[i]);
        memcpy(out + used, words[i], w);
        used += w;
        if (i + 1 < n)
            out[used++] = ' ';
    }
    out[used] = '\0';
}

static long stage_ended(long i, long state) {
    struct stage *s = &stages[i];
    struct proc_status st;
    if (proc_status(s->handle, &st) == 0) {
        if (st.state == PROC_KILLED)
            printf("sh: stage %ld (%s) killed: %s\n", i + 1, s->name, st.reason);
        else if (st.code != 0)
            printf("sh: stage %ld (%s) ended with %ld\n", i + 1, s->name, st.code);
    }
    cap_drop(s->handle);
    s->handle = 0;
    if (--running > 0)
        return 0;
    prompt();
    return got_input(0, 0);  // what was typed meanwhile, then wait
}

// The built-in echo as stage 0: its words and a newline, one buffer.
static bool echo_into(uint64_t out, const char *text) {
    size_t n = strlen(text);
    long r = region_new(n + 1, CAP_READ | CAP_WRITE);
    struct cap_info info;
    if (r < 0 || cap_inspect((uint64_t)r, &info) != 0) {
        printf("sh: no memory for echo\n");
        return false;
    }
    memcpy((char *)info.base, text, n);
    ((char *)info.base)[n] = '\n';
    struct msg m = {.words = {PIPE_DATA, n + 1}, .caps = {(uint64_t)r}, .ncaps = 1};
    long err = chan_send(out, &m);  // a new channel: its queue has room
    if (err) {
        printf("sh: echo: error %ld\n", err);
        cap_drop((uint64_t)r);
        return false;
    }
    return true;
}

// A read-only region holding the arguments string: its handle, or an error.
static long args_region(const char *args) {
    long region = region_new(4096, CAP_READ | CAP_WRITE);
    struct cap_info info;
    if (region < 0)
        return region;
    cap_inspect((uint64_t)region, &info);  // (a handle just made)
    strlcpy((char *)info.base, args, 4096);
    long ro = cap_derive((uint64_t)region, CAP_READ | CAP_GRANT, 0, 4096);
    cap_drop((uint64_t)region);  // the stage's read-only child is all that stays
    return ro;
}

// What stage i of n is given, in pipe.h's order, each to be moved: the
// count. A handle that could not be made is left negative.
static int stage_caps(int i, int n, const char *args, struct spawn_cap *give) {
    long h[4];
    int k = 0;
    h[k++] = cap_derive(console, CAP_WRITE | CAP_GRANT, 0, 0);
    h[k++] = args_region(args);
    if (i > 0)
        h[k++] = cap_derive(ends[i - 1][1], CAP_READ | CAP_GRANT, 0, 0);
    if (i < n - 1)
        h[k++] = cap_derive(ends[i][0], CAP_WRITE | CAP_GRANT, 0, 0);
    for (int j = 0; j < k; j++)
        give[j] = (struct spawn_cap){(uint64_t)h[j], SPAWN_MOVE};
    return k;
}

// Spawn stage i of n (name, its arguments) with its ends; wait for its end.
static bool start_stage(int i, int n, const char *name, const char *args) {
    struct spawn_cap give[4];
    int k = stage_caps(i, n, args, give);
    long h = E_NOMEM;
    bool made = true;
    for (int j = 0; j < k; j++)
        made = made && (long)give[j].handle > 0;
    if (made)
        h = spawn(name, give, (unsigned long)k);
    if (h < 0) {  // every handle is still ours (spawn moves nothing when it fails)
        for (int j = 0; j < k; j++)
            if ((long)give[j].handle > 0)
                cap_drop(give[j].handle);
        printf("sh: cannot start stage %d (%s): error %ld\n", i + 1, name, h);
        return false;
    }
    if (cont_wait_proc((uint64_t)h, stage_ended, i) != 0) {
        kill((uint64_t)h);
        cap_drop((uint64_t)h);
        printf("sh: cannot wait for stage %d (%s)\n", i + 1, name);
        return false;
    }
    stages[i].handle = (uint64_t)h;
    strlcpy(stages[i].name, name, sizeof stages[i].name);
    running++;
    return true;
}

// Cut the line at every `|` into stages[0..n) of words; false (with the
// error printed) for an empty stage or too many.
static bool parse(char *text, char *words[][STAGE_WORDS], int *nwords, int *n) {
    int bars = 0;
    for (char *s = text; *s; s++)
        bars += *s == '|';
    if (bars + 1 > PIPE_STAGES) {
        printf("sh: too many stages in the pipeline (at most %d)\n", PIPE_STAGES);
        return false;
    }
    *n = bars + 1;
    for (int i = 0; i < *n; i++) {
        char *bar = strchr(text, '|');
        if (bar)
            *bar = '\0';
        nwords[i] = split(text, words[i], STAGE_WORDS);
        if (nwords[i] == 0) {
            printf("sh: stage %d of the pipeline is empty\n", i + 1);
            return false;
        }
        if (strcmp(words[i][0], "run") == 0 && nwords[i] > 1) {  // `run` is optional
            nwords[i]--;
            memmove(words[i], words[i] + 1, (size_t)nwords[i] * sizeof words[i][0]);
        }
        text = bar ? bar + 1 : text;
    }
    return true;
}

bool run_pipeline(char *text) {
    char *words[PIPE_STAGES][STAGE_WORDS];
    int nwords[PIPE_STAGES], n;
    if (!parse(text, words, nwords, &n))
        return true;
    if (strcmp(words[n - 1][nwords[n - 1] - 1], "&") == 0) {
        printf("sh: a pipeline runs in the foreground (no &)\n");
        return true;
    }
    bool echo = strcmp(words[0][0], "echo") == 0;
    for (int i = echo ? 1 : 0; i < n; i++)
        if (strcmp(words[i][0], "echo") == 0) {  // (not user/echo, a test of console input)
            printf("sh: stage %d: echo can only start a pipeline\n", i + 1);
            return true;
        } else if (!is_program(words[i][0])) {
            printf("sh: stage %d: no program called '%s' (ls lists them)\n", i + 1, words[i][0]);
            return true;
        }
    for (int i = 0; i < n - 1; i++)
        if (channel_new(ends[i]) != 0) {
            drop_all_ends();
            printf("sh: no memory for the pipeline\n");
            return true;
        }
    for (int i = 0; i < n; i++) {
        char args[ARGS_MAX];
        join(words[i], nwords[i], args);
        bool ok =
            i == 0 && echo ? echo_into(ends[0][0], args) : start_stage(i, n, words[i][0], args);
        if (i > 0)  // the stage holds its own ends now (or failed to start)
            drop_end(&ends[i - 1][1]);
        if (i < n - 1)
            drop_end(&ends[i][0]);
        if (!ok) {  // the stages started so far see their channels close, and end
            drop_all_ends();
            break;
        }
    }
    return running == 0;
}
