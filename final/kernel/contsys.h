// contsys.h: the continuation system calls (contsys.c, docs/abi.md).
#pragma once
#include <stdint.h>

int64_t sys_cont_return(uint64_t value, uint64_t unused1, uint64_t unused2, uint64_t unused3);
int64_t sys_cont_queue(uint64_t fn, uint64_t arg, uint64_t unused1, uint64_t unused2);
int64_t sys_wait_time(uint64_t ticks, uint64_t fn, uint64_t arg, uint64_t unused);
int64_t sys_wait_input(uint64_t console, uint64_t fn, uint64_t arg, uint64_t unused);
int64_t sys_wait_proc(uint64_t handle, uint64_t fn, uint64_t arg, uint64_t unused);
// A record for the running program, with fn and arg: NULL and *err
// (E_LIMIT, E_NOMEM) when none. final/: channel.c uses it too.
struct cont *cont_new_for_caller(uint64_t fn, uint64_t arg, int *err);
int64_t sys_read(uint64_t console, uint64_t buf, uint64_t len, uint64_t unused);
