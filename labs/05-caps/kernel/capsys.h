// capsys.h: the capability system calls, and the kernel side of cap.h's hooks.
#pragma once
#include <stdint.h>

int64_t sys_derive(uint64_t handle, uint64_t rights, uint64_t offset, uint64_t length);
int64_t sys_revoke(uint64_t handle, uint64_t unused1, uint64_t unused2, uint64_t unused3);
int64_t sys_drop(uint64_t handle, uint64_t unused1, uint64_t unused2, uint64_t unused3);
int64_t sys_inspect(uint64_t handle, uint64_t out, uint64_t unused1, uint64_t unused2);
int64_t sys_cap_type(uint64_t handle, uint64_t unused1, uint64_t unused2, uint64_t unused3);
