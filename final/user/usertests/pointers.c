// pointers.c: every pointer argument of every call, given a bad address
// (bad_ranges): E_FAULT, nothing done, never a kernel fault. Also the
// lengths that go with them, unknown call numbers, and a system call made
// with a stack pointer that is not the program's.
#include "usertests.h"

static struct range bad[MAX_BAD];

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

long t_spawn_bad_name(void) {
    int n = bad_ranges(bad, 9, false);
    long programs = live_programs();
    for (int i = 0; i < n; i++)
        EXPECT(sys_call4(SYS_SPAWN, (long)bad[i].addr, 9, 0, 0), E_FAULT);
    EXPECT(sys_call4(SYS_SPAWN, (long)"usertests", 0, 0, 0), E_INVAL);   // no name
    EXPECT(sys_call4(SYS_SPAWN, (long)"usertests", 64, 0, 0), E_INVAL);  // too long
    EXPECT(sys_call4(SYS_SPAWN, (long)"usertests", ~0l, 0, 0), E_INVAL);
    EXPECT(sys_call4(SYS_SPAWN, (long)"user\0tests", 10, 0, 0), E_INVAL);  // a NUL inside
    EXPECT(sys_call4(SYS_SPAWN, (long)"nosuchprogram", 13, 0, 0), E_NOENT);
    EXPECT(live_programs(), programs);
    return 0;
}

long t_spawn_bad_caps(void) {
    int n = bad_ranges(bad, 16, false);
    long programs = live_programs();
    for (int i = 0; i < n; i++)
        EXPECT(sys_call4(SYS_SPAWN, (long)"usertests", 9, (long)bad[i].addr, 1), E_FAULT);
    struct spawn_cap caps[1] = {{console, 0}};
    EXPECT(sys_call4(SYS_SPAWN, (long)"usertests", 9, (long)caps, 65), E_INVAL);
    EXPECT(sys_call4(SYS_SPAWN, (long)"usertests", 9, (long)caps, ~0l), E_INVAL);
    EXPECT(sys_call4(SYS_SPAWN, (long)"usertests", 9, (long)caps, 1l << 60), E_INVAL);
    EXPECT(live_programs(), programs);
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

long t_channel_new_bad_out(void) {
    int n = bad_ranges(bad, 16, false);
    struct sys_mem m = mem_now();
    for (int i = 0; i < n; i++)
        EXPECT(channel_new((uint64_t *)bad[i].addr), E_FAULT);
    EXPECT(channel_new((uint64_t *)readonly_page()), E_FAULT);
    EXPECT(mem_now().channels, m.channels);  // nothing made
    EXPECT(mem_now().caps, m.caps + 1);      // (the read-only page's)
    return 0;
}

long t_chan_send_bad_msg(void) {
    uint64_t e[2];
    EXPECT(channel_new(e), 0);
    int n = bad_ranges(bad, sizeof(struct msg), false);
    for (int i = 0; i < n; i++)
        EXPECT(chan_send(e[0], (struct msg *)bad[i].addr), E_FAULT);
    struct msg got;
    EXPECT(chan_recv(e[1], &got), E_EMPTY);
    return 0;
}

long t_chan_recv_bad_msg(void) {
    uint64_t e[2];
    EXPECT(channel_new(e), 0);
    long r = region_new(4096, CAP_READ | CAP_WRITE);
    struct msg m = {.words = {42}, .caps = {(uint64_t)r}, .ncaps = 1}, got;
    EXPECT(chan_send(e[0], &m), 0);
    int n = bad_ranges(bad, sizeof(struct msg), false);
    for (int i = 0; i < n; i++)
        EXPECT(chan_recv(e[1], (struct msg *)bad[i].addr), E_FAULT);
    EXPECT(chan_recv(e[1], (struct msg *)readonly_page()), E_FAULT);
    EXPECT(chan_recv(e[1], &got), 0);  // it stayed queued, with its region
    EXPECT(got.words[0], 42);
    EXPECT(cap_type(got.caps[0]) >> 8, OBJ_REGION);
    return 0;
}

static long my_pid(void) {
    struct sys_proc p = {0};
    sysinfo(SYSINFO_PROC, 0, &p, sizeof p);  // the newest program: this one
    return (long)p.pid;
}

long t_sysinfo_bad_buffers(void) {
    long pid = my_pid();
    int n = bad_ranges(bad, 1, false);  // a name is at least 2 bytes: each range too short
    for (int i = 0; i < n; i++)
        EXPECT(sysinfo(SYSINFO_PROGRAM, 0, (void *)bad[i].addr, 64), E_FAULT);
    n = bad_ranges(bad, sizeof(struct sys_proc), false);
    for (int i = 0; i < n; i++) {
        EXPECT(sysinfo(SYSINFO_PROC, 0, (void *)bad[i].addr, sizeof(struct sys_proc)), E_FAULT);
        EXPECT(sysinfo(SYSINFO_CAPS, pid, (void *)bad[i].addr, 4), E_FAULT);
        EXPECT(sysinfo(SYSINFO_MEM, 0, (void *)bad[i].addr, sizeof(struct sys_mem)), E_FAULT);
    }
    EXPECT(sysinfo(SYSINFO_MEM, 0, (void *)readonly_page(), sizeof(struct sys_mem)), E_FAULT);
    return 0;
}

long t_sysinfo_bad_arguments(void) {
    char buf[64];
    struct sys_proc p;
    EXPECT(sysinfo(99, 0, buf, sizeof buf), E_INVAL);
    EXPECT(sysinfo(-1, 0, buf, sizeof buf), E_INVAL);
    EXPECT(sysinfo(SYSINFO_PROGRAM, ~0l, buf, sizeof buf), E_NOENT);
    EXPECT(sysinfo(SYSINFO_PROGRAM, 0, buf, 1), E_INVAL);  // no room for the name
    EXPECT(sysinfo(SYSINFO_PROC, 1l << 40, &p, sizeof p), E_NOENT);
    EXPECT(sysinfo(SYSINFO_PROC, 0, &p, sizeof p - 1), E_INVAL);
    EXPECT(sysinfo(SYSINFO_CAPS, -1, buf, 1), E_NOENT);
    EXPECT(sysinfo(SYSINFO_CAPS, my_pid(), buf, 4097), E_INVAL);
    EXPECT(sysinfo(SYSINFO_CAPS, my_pid(), buf, ~0ul), E_INVAL);
    EXPECT(sysinfo(SYSINFO_MEM, 0, buf, 1), E_INVAL);
    EXPECT(sysinfo(SYSINFO_PROC, 0, &p, sizeof p), 0);  // the newest program: this one
    EXPECT(strcmp(p.name, "usertests"), 0);
    struct sys_cap mine[4];
    EXPECT(sysinfo(SYSINFO_CAPS, (long)p.pid, mine, 4), 1);  // the console, alone
    EXPECT(mine[0].handle, console);
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
