// multiboot2.c: reading the Multiboot2 boot information.
//
// The loader leaves a block of tags: an 8-byte header (total size,
// reserved), then tags, each {type, size, payload} and padded to 8 bytes,
// ending with a tag of type 0. We trust none of it: every tag must fit in
// the block, every string must end inside its tag, every table's entry size
// must be sane. What we use is copied into struct bootinfo, so nothing
// later depends on the loader's memory.
#include "multiboot2.h"
#include "kprintf.h"
#include "memlayout.h"
#include "panic.h"
#include "string.h"

struct bootinfo bootinfo;

enum {
    TAG_END = 0,
    TAG_CMDLINE = 1,
    TAG_LOADER_NAME = 2,
    TAG_MODULE = 3,
    TAG_BASIC_MEMINFO = 4,
    TAG_MEMORY_MAP = 6,
};

struct tag {
    uint32_t type, size;
};

struct mmap_entry {
    uint64_t base, length;
    uint32_t type, reserved;
};

static inline uint32_t read32(const uint8_t *p) {
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}

static inline uint64_t read64(const uint8_t *p) {
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

// Copy a string that must end inside [s, s + max).
static bool copy_string(char *dst, size_t dst_size, const uint8_t *s, size_t max, bool *truncated) {
    // LAB 1: BEGIN SOLUTION
    size_t len = strnlen((const char *)s, max);
    if (len == max)
        return false;  // no terminating NUL inside the tag
    size_t n = len < dst_size - 1 ? len : dst_size - 1;
    memcpy(dst, s, n);
    dst[n] = '\0';
    if (truncated)
        *truncated = n < len;
    return true;
    // LAB 1: END SOLUTION
    // LAB 1: STUB (void)max;   /* lab 1: copy_string trusts the loader yet */
    // LAB 1: STUB strlcpy(dst, (const char *)s, dst_size);
    // LAB 1: STUB if (truncated)
    // LAB 1: STUB     *truncated = false;
    // LAB 1: STUB return true;
}

static int parse_mmap(const uint8_t *tag, uint32_t size, struct bootinfo *out, const char **error) {
    // LAB 1: BEGIN SOLUTION
    if (size < 16) {
        *error = "memory map tag too small";
        return -1;
    }
    uint32_t entry_size = read32(tag + 8);
    if (entry_size < sizeof(struct mmap_entry) || entry_size % 8 != 0) {
        *error = "memory map entry size is invalid";
        return -1;
    }
    // Written as a subtraction so that a huge entry size cannot wrap around.
    for (uint32_t off = 16; entry_size <= size - off; off += entry_size) {
        const uint8_t *e = tag + off;
        struct mem_region r = {read64(e), read64(e + 8), read32(e + 16)};
        if (r.length == 0 || r.base + r.length < r.base)
            continue;  // empty, or wraps around: ignore it
        if (out->nregions == MB2_MAX_REGIONS) {
            *error = "more memory regions than the kernel keeps";
            return -1;
        }
        out->regions[out->nregions++] = r;
    }
    return 0;
    // LAB 1: END SOLUTION
    // LAB 1: STUB (void)tag;   /* lab 1: the memory map is not read yet */
    // LAB 1: STUB (void)size;
    // LAB 1: STUB (void)out;
    // LAB 1: STUB (void)error;
    // LAB 1: STUB (void)read64;
    // LAB 1: STUB return 0;
}

static int parse_module(const uint8_t *tag, uint32_t size, struct bootinfo *out,
                        const char **error) {
    // LAB 1: BEGIN SOLUTION
    if (size < 17) {
        *error = "module tag too small";
        return -1;
    }
    if (out->nmodules == MB2_MAX_MODULES) {
        out->modules_ignored++;  // not worth failing the boot for
        return 0;
    }
    struct boot_module *m = &out->modules[out->nmodules];
    m->start = read32(tag + 8);
    m->end = read32(tag + 12);
    if (m->end < m->start) {
        *error = "module ends before it starts";
        return -1;
    }
    if (!copy_string(m->name, sizeof m->name, tag + 16, size - 16, NULL)) {
        *error = "module string is not terminated";
        return -1;
    }
    out->nmodules++;
    return 0;
    // LAB 1: END SOLUTION
    // LAB 1: STUB (void)tag;   /* lab 1: modules are not read yet */
    // LAB 1: STUB (void)size;
    // LAB 1: STUB (void)out;
    // LAB 1: STUB (void)error;
    // LAB 1: STUB return 0;
}

static int parse_tag(const uint8_t *tag, uint32_t type, uint32_t size, struct bootinfo *out,
                     const char **error) {
    // LAB 1: BEGIN SOLUTION
    switch (type) {
    case TAG_CMDLINE:
        if (!copy_string(out->cmdline, sizeof out->cmdline, tag + 8, size - 8,
                         &out->cmdline_truncated)) {
            *error = "command line is not terminated";
            return -1;
        }
        return 0;
    case TAG_LOADER_NAME:
        if (!copy_string(out->loader, sizeof out->loader, tag + 8, size - 8, NULL)) {
            *error = "boot loader name is not terminated";
            return -1;
        }
        return 0;
    case TAG_BASIC_MEMINFO:
        if (size < 16) {
            *error = "basic memory tag too small";
            return -1;
        }
        out->has_basic_meminfo = true;
        out->mem_lower_kib = read32(tag + 8);
        out->mem_upper_kib = read32(tag + 12);
        return 0;
    case TAG_MEMORY_MAP: return parse_mmap(tag, size, out, error);
    case TAG_MODULE: return parse_module(tag, size, out, error);
    default: return 0;  // a tag we do not need
    }
    // LAB 1: END SOLUTION
    // LAB 1: STUB (void)parse_mmap;   /* lab 1: only the command line is read yet */
    // LAB 1: STUB (void)parse_module;
    // LAB 1: STUB (void)error;
    // LAB 1: STUB if (type == TAG_CMDLINE)
    // LAB 1: STUB     copy_string(out->cmdline, sizeof out->cmdline, tag + 8, size - 8, NULL);
    // LAB 1: STUB return 0;
}

// Sort regions by base (insertion sort: there are a few dozen at most).
static void sort_regions(struct bootinfo *bi) {
    // LAB 1: BEGIN SOLUTION
    for (int i = 1; i < bi->nregions; i++) {
        struct mem_region r = bi->regions[i];
        int j = i;
        for (; j > 0 && bi->regions[j - 1].base > r.base; j--)
            bi->regions[j] = bi->regions[j - 1];
        bi->regions[j] = r;
    }
    // LAB 1: END SOLUTION
    // LAB 1: STUB (void)bi;   /* lab 1: sort_regions not written yet */
}

// Sum the available memory, counting any overlap between available regions
// once (firmware maps should not overlap, but we do not rely on it).
static uint64_t usable_total(const struct bootinfo *bi) {
    // LAB 1: BEGIN SOLUTION
    uint64_t total = 0, covered_to = 0;
    for (int i = 0; i < bi->nregions; i++) {
        const struct mem_region *r = &bi->regions[i];
        if (r->type != MEM_AVAILABLE)
            continue;
        uint64_t start = r->base > covered_to ? r->base : covered_to;
        uint64_t end = r->base + r->length;
        if (end > start)
            total += end - start;
        if (end > covered_to)
            covered_to = end;
    }
    return total;
    // LAB 1: END SOLUTION
    // LAB 1: STUB (void)bi;
    // LAB 1: STUB return 0;   /* lab 1: usable_total not written yet */
}

int mb2_parse(const void *info, uint64_t limit, struct bootinfo *out, const char **error) {
    // LAB 1: BEGIN SOLUTION
    const uint8_t *base = info;
    memset(out, 0, sizeof *out);
    *error = NULL;
    if ((uintptr_t)info % 8 != 0) {
        *error = "boot information is not 8-byte aligned";
        return -1;
    }
    if (limit < 16) {
        *error = "boot information is too small";
        return -1;
    }
    uint32_t total = read32(base);
    if (total < 16 || total > limit || total > MB2_MAX_INFO_SIZE) {
        *error = "boot information has an invalid total size";
        return -1;
    }
    out->info_size = total;
    for (uint32_t off = 8; off + 8 <= total;) {
        uint32_t type = read32(base + off), size = read32(base + off + 4);
        if (size < 8 || size > total - off) {
            *error = "a tag runs past the end of the boot information";
            return -1;
        }
        if (type == TAG_END) {
            sort_regions(out);
            out->usable_bytes = usable_total(out);
            return 0;
        }
        if (parse_tag(base + off, type, size, out, error) < 0)
            return -1;
        off += (size + 7) & ~7u;  // tags start on 8-byte boundaries
    }
    *error = "boot information has no end tag";
    return -1;
    // LAB 1: END SOLUTION
    // LAB 1: STUB (void)info, (void)limit, (void)out;
    // LAB 1: STUB (void)parse_tag, (void)sort_regions, (void)usable_total;
    // LAB 1: STUB *error = "lab 1: mb2_parse not written yet (kernel/multiboot2.c)";
    // LAB 1: STUB return -1;
}

// Parse what the boot loader left at info_phys into `bootinfo` and say how
// much memory there is (the serial contract's `mem:` line). A loader that
// left nonsense stops the boot here, with a reason.
void multiboot2_init(uint64_t info_phys) {
    // LAB 1: BEGIN SOLUTION
    const char *error;
    // The size is not known before reading the header: allow the maximum,
    // mb2_parse checks the header's own total size against it.
    if (mb2_parse(phys_to_virt(info_phys), MB2_MAX_INFO_SIZE, &bootinfo, &error) < 0)
        panic("multiboot2: %s (information at %p)", error, (void *)info_phys);
    bootinfo.info_phys = info_phys;
    kprintf("mem: %lu KiB usable\n", bootinfo.usable_bytes / 1024);
    kprintf("boot: loader '%s', %d memory regions, %d modules, cmdline '%s'\n", bootinfo.loader,
            bootinfo.nregions, bootinfo.nmodules, bootinfo.cmdline);
    if (bootinfo.modules_ignored)
        kprintf("boot: %d modules past the first %d ignored\n", bootinfo.modules_ignored,
                MB2_MAX_MODULES);
    if (bootinfo.cmdline_truncated)
        kprintf("boot: the command line is longer than %d bytes; the rest is ignored\n",
                (int)sizeof bootinfo.cmdline - 1);
    // LAB 1: END SOLUTION
    // LAB 1: STUB (void)info_phys;
    // LAB 1: STUB panic("lab 1: multiboot2_init not written yet (kernel/multiboot2.c)");
}
