// abi_more.h: what a later snapshot adds to abi.h (final/ has its own:
// channels and the shell's calls). Lab 06 adds nothing: its calls end at
// SYS_WAIT_PROC, and spawn's process handle reads the child's status
// (READ) and may be handed on (GRANT).
#pragma once

#define SYS_COUNT         17
#define SPAWN_PROC_RIGHTS (CAP_READ | CAP_GRANT)
