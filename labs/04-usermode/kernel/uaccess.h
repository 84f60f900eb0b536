// uaccess.h: the only way the kernel touches a program's memory.
#pragma once
#include <stdint.h>
#include "memlayout.h"
#include "paging.h"

// Copy between kernel memory and the memory of the program whose page
// tables are `root`. The user range must lie in the lower half without
// wrapping and be mapped for the program, readable (and writable, for
// copy_to_user) by user code: otherwise nothing is copied and E_FAULT is
// returned. The copy goes through the direct map, so no user pointer can
// make the kernel fault, or reach kernel memory.
int copy_from_user(pte_t *root, void *dst, uint64_t src, uint64_t len);
// Only the check: 0 when [va, va + len) is the program's, else E_FAULT.
int check_user_range(pte_t *root, uint64_t va, uint64_t len, bool write);
int copy_to_user(pte_t *root, uint64_t dst, const void *src, uint64_t len);
