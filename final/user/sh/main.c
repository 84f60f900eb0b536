// sh: Baton's shell (final/). The kernel starts it on a normal boot with
// two capabilities: the console (caps[0]) and the power object (caps[1]).
//
// It reads a line at a time from the console (an input wait, a
// continuation per burst of bytes), echoes what is typed, and understands
// backspace (0x08 and 0x7f). A command is a built-in (help lists them) or
// the name of a program, with `run` in front or without; `&` at the end
// runs it in the background. A program gets a console capability that can
// only write (the shell keeps the input), and its arguments as a string
// in a read-only region (caps[1]). The shell waits for a foreground
// program's end (a process-end wait) and reports a killed one; it never
// ends with its programs. A line with `|` is a pipeline (pipeline.c).
#include <stdbool.h>
#include "printf.h"
#include "sh.h"
#include "string.h"
#include "syscall.h"

#define LINE_MAX 128
#define JOBS     16

uint64_t console;
static uint64_t power;
static char line[LINE_MAX];
static unsigned long len;
static bool discarding;  // the line grew too long: drop it at its end

struct job {
    uint64_t handle;  // the process capability (0: a free entry)
    long pid;
    char name[40];
    bool background;
};
static struct job jobs[JOBS];
static struct sys_mem last_mem;
static bool have_mem;

void prompt(void) { printf("baton$ "); }

static long wait_line(void) { return cont_wait_input(got_input, 0); }

static bool is_space(char c) { return c == ' ' || c == '\t'; }

// Split `s` into words in place: the count (at most max).
int split(char *s, char **words, int max) {
    int n = 0;
    while (*s && n < max) {
        while (is_space(*s))
            *s++ = '\0';
        if (!*s)
            break;
        words[n++] = s;
        while (*s && !is_space(*s))
            s++;
    }
    return n;
}

// A decimal number, or -1.
static long number(const char *s) {
    long v = 0;
    if (!*s)
        return -1;
    for (; *s; s++) {
        if (*s < '0' || *s > '9' || v > 100000000)
            return -1;
        v = v * 10 + (*s - '0');
    }
    return v;
}

bool is_program(const char *name) {
    char buf[64];
    for (long i = 0; sysinfo(SYSINFO_PROGRAM, i, buf, sizeof buf) >= 0; i++)
        if (strcmp(buf, name) == 0)
            return true;
    return false;
}

// --- Built-ins. ----------------------------------------------------------------

static void cmd_help(void) {
    printf("commands: help, ls, ps, caps <pid>, mem, kill <pid>, echo <words>, poweroff,\n"
           "          trace on|off|dump, bench,\n"
           "          run <program> [args] [&], <program> [args] [&]\n");
    pipeline_help();
}

static void cmd_ls(void) {
    char buf[64];
    long i = 0;
    for (; sysinfo(SYSINFO_PROGRAM, i, buf, sizeof buf) >= 0; i++)
        printf("%s%s", i % 8 ? " " : (i ? "\n" : ""), buf);
    printf("\nls: %ld programs\n", i);
}

static void cmd_ps(void) {
    struct sys_proc p;
    printf("  pid name             caps conts\n");
    for (long i = 0; sysinfo(SYSINFO_PROC, i, &p, sizeof p) == 0; i++)
        printf("%5lu %-16s %4lu %5lu\n", p.pid, p.name, p.caps, p.conts);
}

static const char *type_name(uint64_t type) {
    static const char *names[] = {"?", "region", "process", "console", "channel", "power"};
    return type < 6 ? names[type] : "?";
}

static void cmd_caps(long pid) {
    static struct sys_cap caps[64];
    long n = sysinfo(SYSINFO_CAPS, pid, caps, 64);
    if (n < 0) {
        printf("caps: no program with pid %ld\n", pid);
        return;
    }
    printf("caps: pid %ld holds %ld\n", pid, n);
    for (long i = 0; i < n; i++) {
        uint64_t r = caps[i].rights;
        printf("  0x%05lx %-8s %c%c%c%c", caps[i].handle, type_name(caps[i].type),
               r & CAP_READ ? 'r' : '-', r & CAP_WRITE ? 'w' : '-', r & CAP_EXEC ? 'x' : '-',
               r & CAP_GRANT ? 'g' : '-');
        if (caps[i].type == OBJ_REGION)
            printf(" 0x%lx +%lu", caps[i].base, caps[i].length);
        printf("\n");
    }
}

static void cmd_mem(void) {
    struct sys_mem m;
    if (sysinfo(SYSINFO_MEM, 0, &m, sizeof m) != 0) {
        printf("mem: not available\n");
        return;
    }
    printf("mem: free frames %lu, regions %lu, caps %lu, conts %lu, channels %lu\n", m.free_frames,
           m.regions, m.caps, m.conts, m.channels);
    if (have_mem)
        printf("mem: %s since the last mem\n",
               memcmp(&m, &last_mem, sizeof m) == 0 ? "unchanged" : "changed");
    last_mem = m;
    have_mem = true;
}

static void cmd_kill(long pid) {
    for (int i = 0; i < JOBS; i++)
        if (jobs[i].handle && jobs[i].pid == pid) {
            long err = kill(jobs[i].handle);
            printf(err == 0 ? "kill: pid %ld killed\n" : "kill: pid %ld: error %ld\n", pid, err);
            return;
        }
    printf("kill: no program of this shell has pid %ld\n", pid);
}

// trace on|off|dump: the kernel's continuation trace (docs/trace.md). The
// kernel formats each event; the shell asks for them one at a time, by
// number, and prints at most the ring's worth (events keep coming while
// it prints).
static void trace_dump(void) {
    static char text[TRACE_LINE_MAX];
    long seq = 0, shown = 0, first = -1, got;
    for (; shown < TRACE_RING && (got = sysinfo(SYSINFO_TRACE, seq, text, sizeof text)) >= 0;
         seq = got + 1) {
        if (first < 0)
            first = got;
        printf("%s\n", text);
        shown++;
    }
    printf("trace: end of dump, %ld events shown (%ld lost)\n", shown, first > 0 ? first : 0);
}

static void cmd_trace(int n, char **words) {
    const char *what = n == 2 ? words[1] : "";
    if (strcmp(what, "on") == 0 || strcmp(what, "off") == 0) {
        long was = trace(power, what[1] == 'n' ? TRACE_ON : TRACE_OFF);
        if (was < 0)
            printf("trace: error %ld\n", was);
        else
            printf("trace: %s (it was %s)\n", what, was == TRACE_ON ? "on" : "off");
    } else if (strcmp(what, "dump") == 0)
        trace_dump();
    else
        printf("sh: usage: trace on|off|dump\n");
}

// bench: the user-mode benchmarks of `make bench`, one program after
// another (each a foreground job), then a table. The figures are TSC
// ticks: guest instructions only when QEMU counts them (-icount, as make
// bench does); under a plain `make qemu` they are roughly host cycles.
static const struct {
    const char *program, *figure, *per;
} benches[] = {
    {"capbench", "cap_syscall", "call"},
    {"contbench", "cont_round_trip", "round trip"},
    {"ipcbench", "ipc_call_reply", "call and reply"},
    {"pipeline", "pipeline_per_mib", "MiB"},  // timed here: it exits with 0
};
#define NBENCH (sizeof benches / sizeof benches[0])
static long bench_figures[NBENCH];
static uint64_t bench_job, bench_start;

static inline uint64_t rdtsc(void) {
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

static bool bench_start_one(unsigned long i);

static long bench_ended(long i, long state) {
    uint64_t ticks = rdtsc() - bench_start;
    struct proc_status st;
    long figure = -1;
    if (proc_status(bench_job, &st) == 0 && st.state == PROC_EXITED)
        figure = strcmp(benches[i].figure, "pipeline_per_mib") == 0
                     ? (st.code == 0 ? (long)ticks : -1)
                     : st.code;
    cap_drop(bench_job);
    bench_figures[i] = figure;
    if ((unsigned long)i + 1 < NBENCH && bench_start_one((unsigned long)i + 1))
        return 0;
    printf("bench: in TSC ticks (guest instructions when QEMU runs with -icount shift=0);\n"
           "bench: every figure of every lab, in instructions: make bench LAB=final\n");
    printf("  %-18s %12s  per\n", "benchmark", "ticks");
    for (unsigned long j = 0; j < NBENCH; j++)
        if (bench_figures[j] < 0)
            printf("  %-18s %12s  (%s failed)\n", benches[j].figure, "-", benches[j].program);
        else
            printf("  %-18s %12ld  %s\n", benches[j].figure, bench_figures[j], benches[j].per);
    prompt();
    return got_input(0, 0);  // the rest of what was typed, then wait
}

// Start benchmark i with a write-only console; true when it runs.
static bool bench_start_one(unsigned long i) {
    for (; i < NBENCH; i++) {
        bench_figures[i] = -1;
        long out = cap_derive(console, CAP_WRITE | CAP_GRANT, 0, 0);
        struct spawn_cap give[1] = {{(uint64_t)out, SPAWN_MOVE}};
        bench_start = rdtsc();
        long h = out < 0 ? out : spawn(benches[i].program, give, 1);
        if (h < 0) {
            printf("bench: cannot start %s: error %ld\n", benches[i].program, h);
            cap_drop((uint64_t)out);
            continue;
        }
        bench_job = (uint64_t)h;
        if (cont_wait_proc(bench_job, bench_ended, (long)i) == 0)
            return true;
        cap_drop(bench_job);
    }
    return false;
}

// --- Programs. -------------------------------------------------------------------

static long job_ended(long arg, long state) {
    struct job *j = &jobs[arg];
    struct proc_status st;
    if (proc_status(j->handle, &st) == 0) {
        if (st.state == PROC_KILLED)
            printf("sh: %s (pid %ld) was killed: %s\n", j->name, j->pid, st.reason);
        else if (st.code != 0 || j->background)
            printf("sh: %s (pid %ld) ended with %ld\n", j->name, j->pid, st.code);
    }
    bool foreground = !j->background;
    cap_drop(j->handle);
    j->handle = 0;
    if (!foreground)
        return 0;
    prompt();
    return got_input(0, 0);  // the rest of what was typed, then wait
}

// Start `name` with the arguments string; foreground: the shell waits.
static bool start(const char *name, const char *args, bool background) {
    int slot = 0;
    while (slot < JOBS && jobs[slot].handle)
        slot++;
    if (slot == JOBS) {
        printf("sh: too many programs running\n");
        return false;
    }
    long out = cap_derive(console, CAP_WRITE | CAP_GRANT, 0, 0);
    long region = region_new(4096, CAP_READ | CAP_WRITE);
    struct cap_info info;
    if (out < 0 || region < 0 || cap_inspect((uint64_t)region, &info) != 0) {
        printf("sh: no memory to start %s\n", name);
        cap_drop((uint64_t)out);
        cap_drop((uint64_t)region);
        return false;
    }
    strlcpy((char *)info.base, args, 4096);
    long ro = cap_derive((uint64_t)region, CAP_READ | CAP_GRANT, 0, 4096);
    struct spawn_cap give[2] = {{(uint64_t)out, SPAWN_MOVE}, {(uint64_t)ro, SPAWN_MOVE}};
    long h = spawn(name, give, 2);
    cap_drop((uint64_t)region);
    if (h < 0) {
        printf("sh: cannot start %s: error %ld\n", name, h);
        cap_drop((uint64_t)out);
        cap_drop((uint64_t)ro);
        return false;
    }
    struct sys_proc p = {0};
    sysinfo(SYSINFO_PROC, 0, &p, sizeof p);  // the newest program: this one
    jobs[slot] = (struct job){.handle = (uint64_t)h, .pid = (long)p.pid, .background = background};
    strlcpy(jobs[slot].name, name, sizeof jobs[slot].name);
    if (background)
        printf("[pid %ld] %s started\n", jobs[slot].pid, name);
    cont_wait_proc((uint64_t)h, job_ended, slot);
    return true;
}

// Run one line; true when the shell should prompt at once (false: a
// foreground program runs, the prompt comes at its end).
static bool execute(char *text) {
    char *words[16];
    char args[LINE_MAX];
    if (strchr(text, '|'))
        return run_pipeline(text);
    int n = split(text, words, 16);
    if (n == 0)
        return true;
    bool background = strcmp(words[n - 1], "&") == 0;
    if (background)
        n--;
    const char *cmd = words[0];
    if (strcmp(cmd, "help") == 0 || strcmp(cmd, "ls") == 0 || strcmp(cmd, "ps") == 0 ||
        strcmp(cmd, "mem") == 0 || strcmp(cmd, "poweroff") == 0) {
        if (n != 1 || background) {
            printf("sh: %s takes no argument\n", cmd);
            return true;
        }
        if (cmd[0] == 'h')
            cmd_help();
        else if (cmd[0] == 'l')
            cmd_ls();
        else if (cmd[0] == 'm')
            cmd_mem();
        else if (cmd[1] == 's')
            cmd_ps();
        else
            printf("poweroff: error %ld\n", poweroff(power, 0));
        return true;
    }
    if (strcmp(cmd, "caps") == 0 || strcmp(cmd, "kill") == 0) {
        long pid = n == 2 ? number(words[1]) : -1;
        if (pid < 0)
            printf("sh: usage: %s <pid>\n", cmd);
        else if (cmd[0] == 'c')
            cmd_caps(pid);
        else
            cmd_kill(pid);
        return true;
    }
    if (strcmp(cmd, "trace") == 0) {
        cmd_trace(background ? 0 : n, words);  // `&`: the usage
        return true;
    }
    if (strcmp(cmd, "bench") == 0) {
        if (n != 1 || background) {
            printf("sh: bench takes no argument\n");
            return true;
        }
        return !bench_start_one(0);  // the table comes when the last one ends
    }
    if (strcmp(cmd, "echo") == 0) {
        for (int i = 1; i < n; i++)
            printf("%s%s", words[i], i + 1 < n ? " " : "");
        printf("\n");
        return true;
    }
    int first = 0;
    if (strcmp(cmd, "run") == 0) {
        if (n < 2) {
            printf("sh: usage: run <program> [args]\n");
            return true;
        }
        first = 1;
    }
    if (!is_program(words[first])) {
        printf(first ? "sh: no program called '%s' (ls lists them)\n"
                     : "sh: unknown command '%s' (help lists them)\n",
               words[first]);
        return true;
    }
    size_t used = 0;  // the words after the name, one space apart (they fit: a line does)
    for (int i = first + 1; i < n; i++) {
        size_t w = strlen(words[i]);
        memcpy(args + used, words[i], w);
        used += w;
        if (i + 1 < n)
            args[used++] = ' ';
    }
    args[used] = '\0';
    return !start(words[first], args, background) || background;
}

// Terminal escape sequences (ESC [ ... final byte, ESC O x, ESC x), as
// arrow and function keys send them, are skipped whole: their printable
// tails would otherwise land in the line. A line end always counts.
static int escape;  // 0: text; 1: after ESC; 2: inside ESC [ ...; 3: after ESC O

static bool in_escape(char c) {
    if (c == '\r' || c == '\n') {
        escape = 0;
        return false;
    }
    if (escape == 1)
        escape = c == '[' ? 2 : c == 'O' ? 3 : 0;
    else if (escape == 2)
        escape = c >= 0x40 && c <= 0x7e ? 0 : 2;
    else if (escape == 3)
        escape = 0;
    else if (c == 0x1b)
        escape = 1;
    else
        return false;
    return true;
}

// Bytes have come: edit the line; at its end run it. Bytes read past a
// line that starts a foreground program wait in `input` for its end.
static char input[256];
static long input_pos, input_len;

long got_input(long arg, long value) {
    for (;;) {
        if (input_pos == input_len) {
            input_pos = 0;
            input_len = console_read(console, input, sizeof input);
            if (input_len <= 0) {
                input_len = 0;
                return wait_line();
            }
        }
        char c = input[input_pos++];
        if (in_escape(c))
            continue;  // an arrow key or another terminal sequence: not text
        if (c == '\r' || c == '\n') {
            printf("\n");
            line[len] = '\0';
            bool now = true;
            if (discarding)
                printf("sh: line too long (at most %d characters)\n", LINE_MAX - 1);
            else
                now = execute(line);
            len = 0;
            discarding = false;
            if (!now)
                return 0;  // job_ended prompts and reads on
            prompt();
        } else if (c == 0x08 || c == 0x7f) {
            if (len > 0) {
                len--;
                printf("\b \b");
            }
        } else if (c >= ' ' && c < 0x7f) {
            if (len < LINE_MAX - 1)
                line[len++] = c;
            else
                discarding = true;
            printf("%c", c);
        }
    }
}

int main(int ncaps, const uint64_t *caps) {
    if (ncaps < 2)
        return 1;
    console = caps[0];
    power = caps[1];
    printf("baton shell: type help\n");
    prompt();
    return wait_line();
}
