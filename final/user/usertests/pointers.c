// pointers.c: the pointer arguments of final/'s own calls (channels,
// sysinfo), given a bad address (bad_ranges): E_FAULT, nothing done,
// never a kernel fault; and spawn's, counting the programs alive. Lab
// 06's calls.c (linked here) has write, read, inspect and proc_status,
// unknown call numbers and odd stacks.
#include "usertests.h"

static struct range bad[MAX_BAD];

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
    EXPECT(sysinfo(SYSINFO_CAPS, (long)p.pid, mine, 4), 2);  // the console, the role page
    EXPECT(mine[0].handle, console);
    EXPECT(mine[1].type, OBJ_REGION);
    return 0;
}
