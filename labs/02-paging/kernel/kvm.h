// kvm.h: the kernel's own address space.
#pragma once
#include <stdint.h>

void kvm_init(void);
// The end of the direct map: RAM regions between DIRECT_MAP and this are
// mapped; the holes between them (device windows, firmware) are not.
uint64_t kvm_direct_map_end(void);
