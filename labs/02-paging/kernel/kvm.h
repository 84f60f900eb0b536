// kvm.h: the kernel's own address space.
#pragma once
#include <stdint.h>

void kvm_init(void);
uint64_t kvm_direct_map_end(void);     // the direct map covers [DIRECT_MAP, this)
