// multiboot2.h: what the boot loader told us, parsed and copied.
#pragma once
#include <stdbool.h>
#include <stdint.h>

#define MB2_MAX_REGIONS   64
#define MB2_MAX_MODULES   128
#define MB2_MAX_INFO_SIZE (1u << 20)  // refuse absurd sizes: 1 MiB is plenty

enum mem_type {  // Multiboot2 memory map types (5, bad RAM, or any other: unusable)
    MEM_AVAILABLE = 1,
    MEM_RESERVED = 2,
    MEM_ACPI_RECLAIMABLE = 3,
    MEM_ACPI_NVS = 4,
};

struct mem_region {
    uint64_t base, length;
    uint32_t type;
};

struct boot_module {
    uint64_t start, end;  // physical, end exclusive
    char name[64];        // the module's string (program name)
};

struct bootinfo {
    uint64_t info_phys, info_size;  // where the loader's information was
    char cmdline[1024];
    char loader[64];
    bool cmdline_truncated;
    int nregions;  // sorted by base
    struct mem_region regions[MB2_MAX_REGIONS];
    int nmodules;
    struct boot_module modules[MB2_MAX_MODULES];
    int modules_ignored;  // past MB2_MAX_MODULES: counted, not kept
    bool has_basic_meminfo;
    uint32_t mem_lower_kib, mem_upper_kib;
    uint64_t usable_bytes;  // the sum of available regions
};

extern struct bootinfo bootinfo;

// Parse the information at `info` (readable memory, `limit` bytes of it at
// most) into *out. Every size is checked before it is used: returns 0, or
// -1 with *error saying what was wrong.
int mb2_parse(const void *info, uint64_t limit, struct bootinfo *out, const char **error);

// Parse the loader's information at physical address info_phys into
// `bootinfo` and print the `mem:` line; panics on malformed information.
void multiboot2_init(uint64_t info_phys);
