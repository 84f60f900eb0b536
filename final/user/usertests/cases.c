// cases.c: the table of cases, by kind of object and call. Each line: a
// name, the function (pointers.c, handles.c, memory.c, procs.c,
// channels.c; lab 06's calls.c, caps.c, ends.c, faults.c, linked here),
// and how its program must end.
#include "usertests.h"

#define DECLARE(fn) long fn(void);
// clang-format off
#define CASES(X) \
    X(t_write_bad_buffers) X(t_read_bad_buffers) X(t_inspect_bad_out) X(t_spawn_bad_name) \
    X(t_spawn_bad_caps) X(t_spawn_bad_pointers) X(t_proc_status_bad_out) X(t_channel_new_bad_out) X(t_chan_send_bad_msg) \
    X(t_chan_recv_bad_msg) X(t_sysinfo_bad_buffers) X(t_sysinfo_bad_arguments) X(t_unknown_calls) \
    X(t_syscall_odd_stack) X(t_handle_zero) X(t_handles_forged) X(t_handle_stale_after_drop) \
    X(t_handle_stale_after_revoke) X(t_handle_stale_after_move) X(t_handles_of_another_program) \
    X(t_handle_checked_first) X(f_union_of_rights) X(t_spawn_64_caps) X(f_cont_noncanonical) X(f_cont_kernel) X(t_rsp_garbage_across_interrupts) X(t_deep_derivation_chain) X(t_wrong_type) X(t_wrong_rights) X(t_table_full) X(t_big_region_in_full_table) X(f_big_region_two_caps_full_table) X(t_region_new_bad_arguments) \
    X(t_region_zeroed_and_rounded) X(t_derive_bad_ranges) X(t_region_huge) X(t_out_of_memory) \
    X(t_continuation_limit) X(t_wait_time_bad) X(t_spawn_bad_caps_list) X(t_spawn_too_deep) X(t_kill_self) X(t_kill_busy_program) X(t_spawn_bad_program) X(t_spawn_until_out_of_memory) \
    X(t_wait_after_end) X(t_kill_while_waited_for) X(t_wait_handle_dropped) X(t_peer_program_ends) \
    X(t_kill_while_waiting) X(t_revoke_while_used) X(t_spawn_moves_region) X(t_exit_codes) \
    X(t_channel_words) X(t_channel_full_queue) X(t_channel_bad_messages) X(t_channel_cycle) \
    X(t_channel_closed_peer) X(t_channel_revoke_queued) X(t_channel_wait_end_dropped) \
    X(t_console_rights) X(t_poweroff_refused) \
    X(f_null_read) X(f_null_write) X(f_null_call) X(f_write_text) X(f_write_rodata) X(f_exec_data) \
    X(f_exec_stack) X(f_exec_region) X(f_write_readonly_region) X(f_use_after_drop) \
    X(f_read_kernel) X(f_write_direct_map) X(f_call_kernel) X(f_read_noncanonical) \
    X(f_call_noncanonical) X(f_stack_noncanonical) X(f_recursion) X(f_forever) \
    X(f_divide_by_zero) X(f_divide_overflow) X(f_x87_error) X(f_single_step) \
    X(f_ud2) X(f_int3) X(f_int80) X(f_int_timer) X(f_into) X(f_int_nmi) X(f_int_double_fault) X(f_popf_iopl) X(f_hlt) X(f_cli) X(f_in) X(f_out) \
    X(f_rdmsr) X(f_wrmsr) X(f_read_cr3) X(f_write_cr0) X(f_lgdt) X(f_lidt) X(f_invlpg) \
    X(f_wbinvd) X(f_swapgs) X(f_sysret) X(f_iret_to_kernel) X(f_load_kernel_ds) \
    X(f_far_call_kernel) \
    X(c_handles_zero_and_forged) X(c_handles_stale) X(c_handles_of_another_program) \
    X(c_handle_checked_first) X(c_wrong_type_and_rights) X(c_table_full) X(c_deep_derivation_chain) \
    X(e_region_huge) X(e_out_of_memory) X(e_spawn_bad_program) X(t_wait_time_short) X(f_wait_time_noncanonical) X(f_wait_proc_kernel) X(e_wait_after_end) X(e_killed_while_waited_for) \
    X(e_killed_with_records_queued) X(e_budget_while_waited_for) X(e_revoke_while_used)
CASES(DECLARE)

#define PF(what)   "page fault at " what
#define GP         "#GP general protection"

const struct test_case cases[] = {
    // Pointers: every pointer argument, bad (pointers.c).
    {"write: every bad buffer is E_FAULT",                         t_write_bad_buffers,        EXITS(0)},
    {"read: every bad buffer is E_FAULT, read-only memory too",    t_read_bad_buffers,         EXITS(0)},
    {"inspect: every bad result address is E_FAULT",               t_inspect_bad_out,          EXITS(0)},
    {"spawn: bad names (addresses, lengths, a NUL)",               t_spawn_bad_name,           EXITS(0)},
    {"spawn: a bad capability list (addresses, counts)",           t_spawn_bad_caps,           EXITS(0)},
    {"spawn: bad names and capability lists (addresses, lengths, counts)", t_spawn_bad_pointers, EXITS(0)},
    {"proc_status: every bad result address is E_FAULT",           t_proc_status_bad_out,      EXITS(0)},
    {"channel_new: every bad result address is E_FAULT",           t_channel_new_bad_out,      EXITS(0)},
    {"chan_send: every bad message address is E_FAULT",            t_chan_send_bad_msg,        EXITS(0)},
    {"chan_recv: a bad buffer is E_FAULT, the message stays",      t_chan_recv_bad_msg,        EXITS(0)},
    {"sysinfo: every bad buffer of every kind is E_FAULT",         t_sysinfo_bad_buffers,      EXITS(0)},
    {"sysinfo: bad kinds, lengths and numbers",                    t_sysinfo_bad_arguments,    EXITS(0)},
    {"unknown system call numbers are E_NOSYS",                    t_unknown_calls,            EXITS(0)},
    {"a system call with rsp null, non-canonical or the kernel's", t_syscall_odd_stack,        EXITS(0)},
    // Handles: bad, stale, foreign, wrong type or rights; a full table (handles.c).
    {"handle 0 in every call is E_BADHANDLE",                      t_handle_zero,              EXITS(0)},
    {"forged handles in every call are E_BADHANDLE",               t_handles_forged,           EXITS(0)},
    {"a handle dropped (its slot reused) is stale everywhere",     t_handle_stale_after_drop,  EXITS(0)},
    {"handles revoked are stale everywhere",                       t_handle_stale_after_revoke, EXITS(0)},
    {"handles moved away (channel, spawn) are stale",              t_handle_stale_after_move,  EXITS(0)},
    {"another program's handle values name nothing there",        t_handles_of_another_program, EXITS(0)},
    {"a bad handle is E_BADHANDLE whatever the other arguments",   t_handle_checked_first,     EXITS(0)},
    {"a page mapped with the union of two capabilities' rights",   f_union_of_rights,          KILLED("(write, protection, user)")},
    {"a derivation chain 4,000 deep: drop a link, revoke the root", t_deep_derivation_chain,  EXITS(0)},
    {"a capability of the wrong type: E_TYPE in every call",       t_wrong_type,               EXITS(0)},
    {"a capability without the right: E_RIGHTS in every call",    t_wrong_rights,             EXITS(0)},
    {"a full table: E_FULL in every call that adds to it",         t_table_full,               EXITS(0)},
    {"a 64 MiB region mapped and unmapped in a full table",        t_big_region_in_full_table, EXITS(0)},
    {"the same with two capabilities, one read-only over half",    f_big_region_two_caps_full_table, KILLED("(write, protection, user)")},
    // Lab 06's handle cases, on the calls it has (caps.c).
    {"lab 06's calls: handle 0 and forged handles are E_BADHANDLE", c_handles_zero_and_forged, EXITS(0)},
    {"lab 06's calls: handles stale after drop, revoke and a move by spawn", c_handles_stale, EXITS(0)},
    {"lab 06's calls: another program's handle values name nothing", c_handles_of_another_program, EXITS(0)},
    {"lab 06's calls: a bad handle first, whatever the other arguments", c_handle_checked_first, EXITS(0)},
    {"lab 06's calls: the wrong type is E_TYPE, a missing right E_RIGHTS", c_wrong_type_and_rights, EXITS(0)},
    {"lab 06's calls: a full table is E_FULL in every call that adds", c_table_full,          EXITS(0)},
    {"lab 06's calls: a derivation chain 4,000 deep, revoked",      c_deep_derivation_chain,   EXITS(0)},
    // Regions and memory (memory.c).
    {"region_new: bad lengths and rights are E_INVAL",             t_region_new_bad_arguments, EXITS(0)},
    {"region_new: zeroed, rounded to pages",                       t_region_zeroed_and_rounded, EXITS(0)},
    {"derive: bad and wrapping ranges are E_INVAL",                t_derive_bad_ranges,        EXITS(0)},
    {"region_new of 1 GiB: all of it or E_NOMEM, nothing kept",    t_region_huge,              EXITS(0)},
    {"out of memory: every allocating call fails cleanly, then works", t_out_of_memory,        EXITS(0)},
    {"2^18 waiting continuations, then E_LIMIT; all freed",        t_continuation_limit,       EXITS(0)},
    {"wait_time: more than 2^32 ticks is E_INVAL",                 t_wait_time_bad,            EXITS(0)},
    {"region_new of 1 GiB: all of it or E_NOMEM, then more works", e_region_huge,              EXITS(0)},
    {"out of memory: region_new, spawn, derive, waits fail cleanly, then work", e_out_of_memory, EXITS(0)},
    // Processes (procs.c).
    {"spawn: bad capability lists move nothing",                   t_spawn_bad_caps_list,      EXITS(0)},
    {"spawn: 64 capabilities, and no more",                        t_spawn_64_caps,            EXITS(0)},
    {"spawn: nested 8 deep, then E_LIMIT",                         t_spawn_too_deep,           EXITS(0)},
    {"spawn of a file the loader refuses: E_BADPROG, nothing made", t_spawn_bad_program,      EXITS(0)},
    {"a program kills itself through its own process handle",     t_kill_self,                EXITS(0)},
    {"a program killed with thousands of records queued and timers", t_kill_busy_program,     EXITS(0)},
    {"programs spawned until memory runs out, then all killed",    t_spawn_until_out_of_memory, EXITS(0)},
    {"wait_proc after the end: at once, with the code",            t_wait_after_end,           EXITS(0)},
    {"a program killed while two records wait for it",             t_kill_while_waited_for,    EXITS(0)},
    {"the process handle dropped during a wait: E_BADHANDLE",      t_wait_handle_dropped,      EXITS(0)},
    {"a program holding a channel's end ends: the waiter is told", t_peer_program_ends,        EXITS(0)},
    {"a program killed while it waits for everything",             t_kill_while_waiting,       EXITS(0)},
    {"a region revoked while another program writes it",           t_revoke_while_used,        EXITS(0)},
    {"a region moved by spawn is gone from the sender",            t_spawn_moves_region,       KILLED(PF("0x"))},
    {"a case's program exits with what it returns",                t_exit_codes,               EXITS(5)},
    // Lab 06's process cases: ends by a fault, not by kill (ends.c).
    {"wait_time of 0 and 1 ticks: delivered, never early",        t_wait_time_short,          EXITS(0)},
    {"fault: a timer's continuation at a non-canonical address",   f_wait_time_noncanonical,   KILLED(GP)},
    {"fault: a wait_proc continuation at a kernel address",        f_wait_proc_kernel,         KILLED(PF("0xffffffff80100000 (fetch"))},
    {"spawn: a file the loader refuses is E_BADPROG, the list stays", e_spawn_bad_program, EXITS(0)},
    {"wait_proc after the end: at once, again, with the code",     e_wait_after_end,           EXITS(0)},
    {"a program killed by a fault while two records wait for it",  e_killed_while_waited_for,  EXITS(0)},
    {"a program killed with thousands of records queued and timers (a fault)", e_killed_with_records_queued, EXITS(0)},
    {"a program over its time budget while another waits for it",  e_budget_while_waited_for,  EXITS(0)},
    {"a region revoked while another program writes it (no channel)", e_revoke_while_used,     EXITS(0)},
    // Channels, the console, power (channels.c).
    {"channel: words arrive at the other end, as sent",            t_channel_words,            EXITS(0)},
    {"channel: 16 messages queued, then E_FULL",                   t_channel_full_queue,       EXITS(0)},
    {"channel: bad messages move nothing",                         t_channel_bad_messages,     EXITS(0)},
    {"channel: a cycle of queued ends is refused",                 t_channel_cycle,            EXITS(0)},
    {"channel: a closed peer (after its copies went)",             t_channel_closed_peer,      EXITS(0)},
    {"channel: regions revoked or dropped while queued",           t_channel_revoke_queued,    EXITS(0)},
    {"channel: a waiter's own end dropped, and its peer's",        t_channel_wait_end_dropped, EXITS(0)},
    {"console: rights, type, no input",                            t_console_rights,           EXITS(0)},
    {"poweroff without the power object is refused",               t_poweroff_refused,         EXITS(0)},
    // Faults: each kills its program with a reason (faults.c).
    {"fault: null read",                  f_null_read,             KILLED(PF("0x0 (read, not present, user)"))},
    {"fault: null write",                 f_null_write,            KILLED(PF("0x0 (write, not present, user)"))},
    {"fault: null call",                  f_null_call,             KILLED(PF("0x0 (fetch, not present, user)"))},
    {"fault: write to its own text",      f_write_text,            KILLED("(write, protection, user)")},
    {"fault: write to read-only data",    f_write_rodata,          KILLED("(write, protection, user)")},
    {"fault: run writable data",          f_exec_data,             KILLED("(fetch, protection, user)")},
    {"fault: run the stack",              f_exec_stack,            KILLED("(fetch, protection, user)")},
    {"fault: run a region without EXEC",  f_exec_region,           KILLED("(fetch, protection, user)")},
    {"fault: write a read-only region",   f_write_readonly_region, KILLED("(write, protection, user)")},
    {"fault: read a region after drop",   f_use_after_drop,        KILLED("(read, not present, user)")},
    {"fault: read kernel text",           f_read_kernel,           KILLED(PF("0xffffffff80100000 (read"))},
    {"fault: write the direct map",       f_write_direct_map,      KILLED(PF("0xffff800000100000 (write"))},
    {"fault: call into the kernel",       f_call_kernel,           KILLED(PF("0xffffffff80100000 (fetch"))},
    {"fault: read a non-canonical address", f_read_noncanonical,   KILLED(GP)},
    {"fault: call a non-canonical address", f_call_noncanonical,   KILLED(GP)},
    {"fault: push on a non-canonical stack", f_stack_noncanonical, KILLED("#SS stack-segment fault|" GP)},
    {"fault: a continuation queued at a non-canonical address", f_cont_noncanonical, KILLED(GP)},
    {"fault: a continuation queued at a kernel address", f_cont_kernel, KILLED(PF("0xffffffff80100000 (fetch"))},
    {"rsp non-canonical while timer interrupts come", t_rsp_garbage_across_interrupts, EXITS(0)},
    {"fault: deep recursion (stack overflow)", f_recursion,        KILLED("stack overflow: page fault at")},
    {"fault: a loop that never returns (time budget)", f_forever,  KILLED("time budget exceeded")},
    {"fault: divide by zero",             f_divide_by_zero,        KILLED("#DE divide error")},
    {"fault: divide overflow",            f_divide_overflow,       KILLED("#DE divide error")},
    {"fault: x87 error unmasked",         f_x87_error,             KILLED("#MF x87 floating-point error")},
    {"fault: single step (TF)",           f_single_step,           KILLED("#DB debug")},
    {"fault: ud2",                        f_ud2,                   KILLED("#UD invalid opcode")},
    {"fault: int3",                       f_int3,                  KILLED("#BP breakpoint|" GP)},
    {"fault: int 0x80",                   f_int80,                 KILLED(GP)},
    {"fault: int 0x20 (the timer's vector)", f_int_timer,          KILLED(GP)},
    {"fault: into (not in 64-bit mode)",  f_into,                  KILLED("#UD invalid opcode")},
    {"fault: int 2 (the NMI's vector)",   f_int_nmi,               KILLED(GP)},
    {"fault: int 8 (the double fault's vector)", f_int_double_fault, KILLED(GP)},
    {"privileged: popf cannot raise IOPL (then cli)", f_popf_iopl, KILLED(GP)},
    {"privileged: hlt",                   f_hlt,                   KILLED(GP)},
    {"privileged: cli",                   f_cli,                   KILLED(GP)},
    {"privileged: in",                    f_in,                    KILLED(GP)},
    {"privileged: out",                   f_out,                   KILLED(GP)},
    {"privileged: rdmsr",                 f_rdmsr,                 KILLED(GP)},
    {"privileged: wrmsr (LSTAR)",         f_wrmsr,                 KILLED(GP)},
    {"privileged: read cr3",              f_read_cr3,              KILLED(GP)},
    {"privileged: write cr0",             f_write_cr0,             KILLED(GP)},
    {"privileged: lgdt",                  f_lgdt,                  KILLED(GP)},
    {"privileged: lidt",                  f_lidt,                  KILLED(GP)},
    {"privileged: invlpg",                f_invlpg,                KILLED(GP)},
    {"privileged: wbinvd",                f_wbinvd,                KILLED(GP)},
    {"privileged: swapgs",                f_swapgs,                KILLED(GP)},
    {"privileged: sysret",                f_sysret,                KILLED(GP)},
    {"privileged: iretq to the kernel's code segment", f_iret_to_kernel, KILLED(GP)},
    {"privileged: load the kernel's data segment", f_load_kernel_ds, KILLED(GP)},
    {"privileged: far return to the kernel's code segment", f_far_call_kernel, KILLED(GP)},
};
// clang-format on
const int ncases = sizeof cases / sizeof cases[0];
