// calls.c: the cases that need only lab 06's calls, so lab 06 and final/
// share them (final/ links this file): every bad buffer of write, read,
// inspect and proc_status; unknown call numbers and odd stacks; bad
// region_new and derive arguments; the continuation limit and wait_time's
// bad arguments; spawn's bad lists, 64 capabilities and nesting; a wait
// whose process handle goes; a region moved by spawn; an exit code.
#include "usertests.h"

static struct range bad[MAX_BAD];
static uint64_t child;

long t_write_bad_buffers(void) {
    int n = bad_ranges(bad, 64, true);
    for (int i = 0; i < n; i++)
        EXPECT(console_write(console, (void *)bad[i].addr, bad[i].len), E_FAULT);
    EXPECT(console_write(console, (void *)bad[0].addr, 0), 0);  // nothing to read: no fault
    EXPECT(console_write(console, "", 0), 0);
    return 0;
}

long t_read_bad_buffers(void) {
    long fault = console_readable() ? E_FAULT : E_RIGHTS;  // (the shell's console: E_RIGHTS first)
    long none = console_readable() ? 0 : E_RIGHTS;
    int n = bad_ranges(bad, 64, true);
    for (int i = 0; i < n; i++)
        EXPECT(console_read(console, (void *)bad[i].addr, bad[i].len), fault);
    EXPECT(console_read(console, (void *)readonly_page(), 16), fault);     // read-only memory
    EXPECT(console_read(console, (void *)t_read_bad_buffers, 16), fault);  // its own text
    char buf[16];
    EXPECT(console_read(console, buf, 0), none);
    EXPECT(console_read(console, buf, sizeof buf), none);  // nothing typed: 0, no wait
    return 0;
}

long t_inspect_bad_out(void) {
    int n = bad_ranges(bad, sizeof(struct cap_info), false);
    for (int i = 0; i < n; i++)
        EXPECT(cap_inspect(console, (struct cap_info *)bad[i].addr), E_FAULT);
    EXPECT(cap_inspect(console, (struct cap_info *)readonly_page()), E_FAULT);
    EXPECT(cap_inspect(console, (struct cap_info *)(void *)t_inspect_bad_out), E_FAULT);
    return 0;
}

long t_proc_status_bad_out(void) {
    long h = spawn_role(ROLE_EXIT, 0, 0, NULL, 0);
    EXPECT_TRUE(h > 0);
    int n = bad_ranges(bad, sizeof(struct proc_status), false);
    for (int i = 0; i < n; i++)
        EXPECT(proc_status((uint64_t)h, (struct proc_status *)bad[i].addr), E_FAULT);
    EXPECT(proc_status((uint64_t)h, (struct proc_status *)readonly_page()), E_FAULT);
    return 0;
}

long t_unknown_calls(void) {
    const long numbers[] = {SYS_COUNT, 1000, -1, 1l << 32, (long)(1ul << 63), 0x7fffffff};
    for (unsigned i = 0; i < sizeof numbers / sizeof numbers[0]; i++)
        EXPECT(sys_call(numbers[i], 1, 2, 3), E_NOSYS);
    return 0;
}

// A system call made with rsp somewhere the program cannot use: the kernel
// runs on its own stack, and gives the program its rsp back.
static long ticks_with_rsp(uint64_t rsp) {
    long result;
    __asm__ volatile("mov %%rsp, %%r12\n\t"
                     "mov %2, %%rsp\n\t"
                     "syscall\n\t"
                     "mov %%r12, %%rsp"
                     : "=a"(result)
                     : "a"(SYS_TICKS), "r"(rsp)
                     : "rcx", "r11", "r12", "memory");
    return result;
}

long t_syscall_odd_stack(void) {
    const uint64_t stacks[] = {0, 8, USER_TOP, DIRECT_MAP, KERNEL_TEXT, ~0ul & ~15ul};
    for (unsigned i = 0; i < sizeof stacks / sizeof stacks[0]; i++)
        EXPECT_TRUE(ticks_with_rsp(stacks[i]) >= 0);
    return 0;
}

long t_region_new_bad_arguments(void) {
    const uint64_t lengths[] = {0, (1ul << 30) + 1, 1ul << 40, 1ul << 63, ~0ul};
    for (unsigned i = 0; i < sizeof lengths / sizeof lengths[0]; i++)
        EXPECT(region_new(lengths[i], CAP_READ), E_INVAL);
    EXPECT(sys_call(SYS_REGION_NEW, 4096, CAP_WRITE | CAP_EXEC, 0), E_INVAL);  // W^X
    EXPECT(sys_call(SYS_REGION_NEW, 4096, 16, 0), E_INVAL);
    EXPECT(sys_call(SYS_REGION_NEW, 4096, ~0l, 0), E_INVAL);
    EXPECT(sys_call(SYS_REGION_NEW, 4096, (1l << 32) | CAP_READ, 0), E_INVAL);
    long r = region_new(4096, 0);  // no rights: it maps nothing, but exists
    EXPECT(cap_type((uint64_t)r), (OBJ_REGION << 8) | CAP_GRANT);
    return 0;
}

long t_derive_bad_ranges(void) {
    long r = region_new(4 * 4096, CAP_READ | CAP_WRITE);
    const uint64_t ranges[][2] = {
        {1, 4096},         {4096, 1},       {4096, 0},             // unaligned, empty
        {5 * 4096, 4096},  {0, 5 * 4096},   {3 * 4096, 2 * 4096},  // outside
        {4096, -4096ul},   {-4096ul, 8192},                        // lengths and offsets that wrap
        {1ul << 63, 4096},
    };
    for (unsigned i = 0; i < sizeof ranges / sizeof ranges[0]; i++)
        EXPECT(cap_derive((uint64_t)r, CAP_READ, ranges[i][0], ranges[i][1]), E_INVAL);
    EXPECT(sys_call4(SYS_DERIVE, r, 16, 0, 0), E_INVAL);  // an unknown right
    EXPECT(sys_call4(SYS_DERIVE, r, ~0l, 0, 0), E_INVAL);
    long part = cap_derive((uint64_t)r, CAP_READ, 3 * 4096, 4096);  // the last page
    EXPECT_TRUE(part > 0);
    EXPECT(cap_derive((uint64_t)part, CAP_READ, 4096, 4096), E_INVAL);  // outside the part
    struct cap_info info;
    EXPECT(cap_inspect((uint64_t)part, &info), 0);
    EXPECT(info.base, region_at((uint64_t)r) + 3 * 4096);
    return 0;
}

// --- Running out of continuation records. ---------------------------------------------

static long waits;

static long limit_reached(long err) {
    EXPECT(err, E_LIMIT);
    EXPECT(waits, 1l << 18);  // PROC_MAX_CONTS (kernel/proc.h)
    EXPECT(cont_queue(noop, 0), E_LIMIT);
    exit(0);  // (they would wait forever)
}

// 2^18 records waiting, 8,192 a continuation (the time budget): the next
// wait is E_LIMIT; they all go when the program ends.
static long wait_more(long arg, long value) {
    for (int i = 0; i < 8192; i++) {
        long err = cont_wait_time(FOREVER, noop, 0);
        if (err)
            return limit_reached(err);
        waits++;
    }
    long err = cont_queue(wait_more, 0);
    return err ? limit_reached(err) : 0;
}

long t_continuation_limit(void) { return wait_more(0, 0); }

long t_wait_time_bad(void) {
    EXPECT(cont_wait_time((1l << 32) + 1, noop, 0), E_INVAL);
    EXPECT(cont_wait_time(-1, noop, 0), E_INVAL);
    EXPECT(cont_wait_time(1l << 62, noop, 0), E_INVAL);
    return 0;
}

// Spawn's name and list at bad addresses, with bad lengths and counts:
// each refused before anything starts (final/'s pointers.c also counts
// the programs alive; here the run: done line finds what was kept).
long t_spawn_bad_pointers(void) {
    int n = bad_ranges(bad, 9, false);
    for (int i = 0; i < n; i++)
        EXPECT(sys_call4(SYS_SPAWN, (long)bad[i].addr, 9, 0, 0), E_FAULT);
    EXPECT(sys_call4(SYS_SPAWN, (long)"usertests", 0, 0, 0), E_INVAL);   // no name
    EXPECT(sys_call4(SYS_SPAWN, (long)"usertests", 64, 0, 0), E_INVAL);  // too long
    EXPECT(sys_call4(SYS_SPAWN, (long)"usertests", ~0l, 0, 0), E_INVAL);
    EXPECT(sys_call4(SYS_SPAWN, (long)"user\0tests", 10, 0, 0), E_INVAL);  // a NUL inside
    EXPECT(sys_call4(SYS_SPAWN, (long)"nosuchprogram", 13, 0, 0), E_NOENT);
    n = bad_ranges(bad, 16, false);
    for (int i = 0; i < n; i++)
        EXPECT(sys_call4(SYS_SPAWN, (long)"usertests", 9, (long)bad[i].addr, 1), E_FAULT);
    struct spawn_cap caps[1] = {{console, 0}};
    EXPECT(sys_call4(SYS_SPAWN, (long)"usertests", 9, (long)caps, 65), E_INVAL);
    EXPECT(sys_call4(SYS_SPAWN, (long)"usertests", 9, (long)caps, ~0l), E_INVAL);
    EXPECT(sys_call4(SYS_SPAWN, (long)"usertests", 9, (long)caps, 1l << 60), E_INVAL);
    return 0;
}

long t_spawn_bad_caps_list(void) {
    long r = region_new(4096, CAP_READ | CAP_WRITE);
    long nogrant = cap_derive((uint64_t)r, CAP_READ, 0, 0);
    long gone = cap_derive((uint64_t)r, CAP_READ | CAP_GRANT, 0, 0);
    cap_drop((uint64_t)gone);
    struct spawn_cap twice[2] = {{(uint64_t)r, SPAWN_MOVE}, {(uint64_t)r, 0}};
    struct spawn_cap flags[1] = {{(uint64_t)r, 2}};
    struct spawn_cap stale[2] = {{(uint64_t)r, SPAWN_MOVE}, {(uint64_t)gone, 0}};
    struct spawn_cap no_grant[2] = {{(uint64_t)r, SPAWN_MOVE}, {(uint64_t)nogrant, 0}};
    struct spawn_cap moved[1] = {{(uint64_t)r, SPAWN_MOVE}};
    EXPECT(spawn("hello", twice, 2), E_INVAL);
    EXPECT(spawn("hello", flags, 1), E_INVAL);
    EXPECT(spawn("hello", stale, 2), E_BADHANDLE);
    EXPECT(spawn("hello", no_grant, 2), E_RIGHTS);
    EXPECT(spawn("nosuchprogram", moved, 1), E_NOENT);
    EXPECT(cap_type((uint64_t)r) >> 8, OBJ_REGION);  // a failed spawn moves nothing
    *(volatile char *)region_at((uint64_t)r) = 1;    // still mapped
    return 0;
}

// ROLE_NEST spawns itself one deeper until spawn says E_LIMIT; each
// level exits with the code of the one below: the depth reached.
static long nest_done(long arg, long state) {
    struct proc_status st;
    EXPECT(proc_status(child, &st), 0);
    EXPECT(st.state, PROC_EXITED);
    EXPECT(st.code, 8);  // PROC_MAX_DEPTH (kernel/proc.h)
    return 0;
}

long t_spawn_too_deep(void) {
    long h = spawn_role(ROLE_NEST, case_depth + 1, 0, NULL, 0);
    EXPECT_TRUE(h > 0);
    child = (uint64_t)h;
    return cont_wait_proc(child, nest_done, 0);
}

// The process capability goes while a record waits on it: E_BADHANDLE.
static long gone_while_waiting(long arg, long state) {
    EXPECT(state, E_BADHANDLE);
    return 0;
}

long t_wait_handle_dropped(void) {
    long h = spawn_role(ROLE_EXIT, 0, 0, NULL, 0);  // (it ends by itself, later)
    EXPECT_TRUE(h > 0);
    EXPECT(cont_wait_proc((uint64_t)h, gone_while_waiting, 0), 0);
    EXPECT(cap_drop((uint64_t)h), 0);  // the only capability to it
    return 0;
}

// A region moved to a child by spawn: gone from here, there in the child.
long t_spawn_moves_region(void) {
    long r = region_new(4096, CAP_READ | CAP_WRITE);
    uint64_t base = region_at((uint64_t)r);
    *(volatile uint64_t *)base = 99;
    uint64_t give[1] = {(uint64_t)r};
    long h = spawn_role(ROLE_EXIT, 0, 0, give, 1);  // (it holds the region, then exits)
    EXPECT_TRUE(h > 0);
    EXPECT(cap_type((uint64_t)r), E_BADHANDLE);
    return (long)*(volatile uint64_t *)base;  // no longer mapped here: killed
}

long t_exit_codes(void) { return 5; }  // a case that returns 5: its program exits 5

long t_spawn_64_caps(void) {
    struct spawn_cap give[65];
    for (int i = 0; i < 65; i++)
        give[i] = (struct spawn_cap){console, 0};
    long h = spawn("hello", give, 64);
    EXPECT_TRUE(h > 0);
    EXPECT(spawn("hello", give, 65), E_INVAL);
    return 0;
}
