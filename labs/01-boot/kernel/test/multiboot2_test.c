// multiboot2_test.c: the boot information, the real one and made-up ones.
#include "ktest.h"
#include "memlayout.h"
#include "multiboot2.h"
#include "string.h"

// --- The information this boot really got. ---------------------------------

KTEST(multiboot2, memory_map_is_sorted_and_sane) {
    ASSERT_TRUE(bootinfo.nregions > 0);
    for (int i = 0; i < bootinfo.nregions; i++) {
        const struct mem_region *r = &bootinfo.regions[i];
        EXPECT_TRUE(r->length > 0);
        EXPECT_TRUE(r->base + r->length > r->base);  // no wrap-around
        if (i > 0)
            EXPECT_TRUE(bootinfo.regions[i - 1].base <= r->base);
    }
}

KTEST(multiboot2, available_regions_do_not_overlap) {
    uint64_t end_of_previous = 0;
    for (int i = 0; i < bootinfo.nregions; i++) {
        const struct mem_region *r = &bootinfo.regions[i];
        if (r->type != MEM_AVAILABLE)
            continue;
        EXPECT_TRUE(r->base >= end_of_previous);
        end_of_previous = r->base + r->length;
    }
}

KTEST(multiboot2, usable_total_is_the_sum) {
    uint64_t sum = 0;
    for (int i = 0; i < bootinfo.nregions; i++)
        if (bootinfo.regions[i].type == MEM_AVAILABLE)
            sum += bootinfo.regions[i].length;
    EXPECT_EQ(bootinfo.usable_bytes, sum);
    EXPECT_TRUE(bootinfo.usable_bytes >= 64ul << 20);  // we boot with 128 MiB+
}

// The firmware's basic memory tag (below 1 MiB, and above 1 MiB up to the
// first hole) is an independent account: the map must agree with it.
KTEST(multiboot2, map_agrees_with_basic_meminfo) {
    ASSERT_TRUE(bootinfo.has_basic_meminfo);
    uint64_t low_end = 0x100000 + (uint64_t)bootinfo.mem_upper_kib * 1024;
    uint64_t below_hole = 0;
    for (int i = 0; i < bootinfo.nregions; i++) {
        const struct mem_region *r = &bootinfo.regions[i];
        if (r->type == MEM_AVAILABLE && r->base < low_end)
            below_hole += (r->base + r->length < low_end ? r->base + r->length : low_end) - r->base;
    }
    uint64_t basic = ((uint64_t)bootinfo.mem_lower_kib + bootinfo.mem_upper_kib) * 1024;
    EXPECT_EQ(below_hole / 1024, basic / 1024);
}

KTEST(multiboot2, kernel_lies_in_available_memory) {
    uint64_t start = (uint64_t)_kernel_phys_start, end = (uint64_t)_kernel_phys_end;
    bool inside = false;
    for (int i = 0; i < bootinfo.nregions; i++) {
        const struct mem_region *r = &bootinfo.regions[i];
        if (r->type == MEM_AVAILABLE && r->base <= start && end <= r->base + r->length)
            inside = true;
    }
    EXPECT_TRUE(inside);
}

KTEST(multiboot2, loader_and_cmdline_were_read) {
    EXPECT_TRUE(bootinfo.loader[0] != '\0');
    EXPECT_TRUE(strlen(bootinfo.cmdline) > 0);  // we were booted with "test..."
    EXPECT_TRUE(bootinfo.info_size >= 16);
}

// --- Made-up information: a tiny builder of tag lists. ----------------------

static uint64_t image[512];  // 8-byte aligned, 4 KiB
static uint32_t used;
static struct bootinfo parsed;

static void begin(void) {
    memset(image, 0, sizeof image);
    used = 8;
}

static void add_tag(uint32_t type, const void *payload, uint32_t len) {
    uint8_t *p = (uint8_t *)image + used;
    uint32_t size = 8 + len;
    memcpy(p, &type, 4);
    memcpy(p + 4, &size, 4);
    if (len)  // memcpy wants valid pointers even for 0 bytes, and payload may be NULL
        memcpy(p + 8, payload, len);
    used += (size + 7) & ~7u;
}

static void add_region(uint32_t *map, int *n, uint64_t base, uint64_t len, uint32_t type) {
    uint32_t *e = map + 2 + *n * 6;  // 2 words of header, 6 words a region
    memcpy(e, &base, 8);
    memcpy(e + 2, &len, 8);
    e[4] = type;
    (*n)++;
}

static int finish_and_parse(const char **error) {
    add_tag(0, NULL, 0);
    memcpy(image, &used, 4);
    return mb2_parse(image, sizeof image, &parsed, error);
}

KTEST(multiboot2, parses_a_good_block) {
    const char *error;
    begin();
    add_tag(1, "test=a", 7);
    add_tag(2, "toy loader", 11);
    uint32_t map[2 + 6 * 3] = {24, 0};
    int n = 0;
    add_region(map, &n, 0x100000, 0x700000, MEM_AVAILABLE);  // out of order
    add_region(map, &n, 0, 0x9fc00, MEM_AVAILABLE);
    add_region(map, &n, 0xf0000, 0x10000, MEM_RESERVED);
    add_tag(6, map, sizeof map);
    uint32_t module[2] = {0x200000, 0x201000};
    uint8_t mod_tag[8 + 6];
    memcpy(mod_tag, module, 8);
    memcpy(mod_tag + 8, "hello", 6);
    add_tag(3, mod_tag, sizeof mod_tag);
    ASSERT_EQ(finish_and_parse(&error), 0);
    EXPECT_STREQ(parsed.cmdline, "test=a");
    EXPECT_STREQ(parsed.loader, "toy loader");
    ASSERT_EQ(parsed.nregions, 3);
    EXPECT_EQ(parsed.regions[0].base, 0);  // sorted
    EXPECT_EQ(parsed.regions[2].base, 0x100000);
    EXPECT_EQ(parsed.usable_bytes, 0x9fc00 + 0x700000);
    ASSERT_EQ(parsed.nmodules, 1);
    EXPECT_STREQ(parsed.modules[0].name, "hello");
    EXPECT_EQ(parsed.modules[0].end - parsed.modules[0].start, 0x1000);
}

KTEST(multiboot2, overlapping_available_regions_count_once) {
    const char *error;
    begin();
    uint32_t map[2 + 6 * 2] = {24, 0};
    int n = 0;
    add_region(map, &n, 0x100000, 0x200000, MEM_AVAILABLE);
    add_region(map, &n, 0x200000, 0x200000, MEM_AVAILABLE);
    add_tag(6, map, sizeof map);
    ASSERT_EQ(finish_and_parse(&error), 0);
    EXPECT_EQ(parsed.usable_bytes, 0x300000);
}

// A loader may use entries larger than the 24 bytes it fills in: the tag's
// entry_size, not sizeof, is the stride.
KTEST(multiboot2, entries_larger_than_24_bytes) {
    const char *error;
    begin();
    uint32_t map[2 + 8 * 2] = {32, 0};
    uint64_t bases[2] = {0x100000, 0x400000};
    for (int i = 0; i < 2; i++) {
        uint32_t *e = map + 2 + i * 8;
        uint64_t len = 0x100000;
        memcpy(e, &bases[i], 8);
        memcpy(e + 2, &len, 8);
        e[4] = MEM_AVAILABLE;
        e[5] = e[6] = e[7] = 0xFFFFFFFF;  // padding the parser must skip
    }
    add_tag(6, map, sizeof map);
    ASSERT_EQ(finish_and_parse(&error), 0);
    ASSERT_EQ(parsed.nregions, 2);
    EXPECT_EQ(parsed.regions[1].base, 0x400000);
    EXPECT_EQ(parsed.usable_bytes, 0x200000);
}

KTEST(multiboot2, region_that_wraps_around_is_ignored) {
    const char *error;
    begin();
    uint32_t map[2 + 6 * 2] = {24, 0};
    int n = 0;
    add_region(map, &n, 0x100000, 0x100000, MEM_AVAILABLE);
    add_region(map, &n, 0xFFFFFFFFFFFFF000ull, 0x2000, MEM_AVAILABLE);
    add_tag(6, map, sizeof map);
    ASSERT_EQ(finish_and_parse(&error), 0);
    EXPECT_EQ(parsed.nregions, 1);
    EXPECT_EQ(parsed.usable_bytes, 0x100000);
}

KTEST(multiboot2, rejects_bad_total_size) {
    const char *error;
    begin();
    image[0] = 8;  // smaller than header + end tag
    EXPECT_EQ(mb2_parse(image, sizeof image, &parsed, &error), -1);
    image[0] = sizeof image + 8;  // larger than the memory given
    EXPECT_EQ(mb2_parse(image, sizeof image, &parsed, &error), -1);
    EXPECT_TRUE(error != NULL);
}

KTEST(multiboot2, rejects_tag_past_the_end) {
    const char *error;
    begin();
    add_tag(1, "x", 2);
    uint32_t huge = 4000;
    memcpy((uint8_t *)image + 12, &huge, 4);  // the cmdline tag's size
    add_tag(0, NULL, 0);
    memcpy(image, &used, 4);
    EXPECT_EQ(mb2_parse(image, sizeof image, &parsed, &error), -1);
    EXPECT_STREQ(error, "a tag runs past the end of the boot information");
}

KTEST(multiboot2, rejects_missing_end_tag) {
    const char *error;
    begin();
    add_tag(1, "x", 2);
    memcpy(image, &used, 4);  // no end tag
    EXPECT_EQ(mb2_parse(image, sizeof image, &parsed, &error), -1);
    EXPECT_STREQ(error, "boot information has no end tag");
}

KTEST(multiboot2, rejects_unterminated_strings) {
    const char *error;
    begin();
    add_tag(1, "abcd", 4);  // no NUL inside the tag
    EXPECT_EQ(finish_and_parse(&error), -1);
    EXPECT_STREQ(error, "command line is not terminated");
}

KTEST(multiboot2, rejects_bad_map_entry_size) {
    const char *error;
    begin();
    uint32_t map[2 + 6] = {12, 0};  // entries smaller than a region
    add_tag(6, map, sizeof map);
    EXPECT_EQ(finish_and_parse(&error), -1);
    EXPECT_STREQ(error, "memory map entry size is invalid");
}

KTEST(multiboot2, huge_map_entry_size_adds_nothing) {
    const char *error;
    begin();
    uint32_t map[2 + 6] = {0xFFFFFFF8u, 0};  // 16 + this would wrap 32 bits
    add_tag(6, map, sizeof map);
    EXPECT_EQ(finish_and_parse(&error), 0);
    EXPECT_EQ(parsed.nregions, 0);
}

KTEST(multiboot2, rejects_backwards_module) {
    const char *error;
    begin();
    uint8_t mod_tag[8 + 2] = {0};
    uint32_t module[2] = {0x300000, 0x200000};
    memcpy(mod_tag, module, 8);
    mod_tag[8] = 'm';
    add_tag(3, mod_tag, sizeof mod_tag);
    EXPECT_EQ(finish_and_parse(&error), -1);
    EXPECT_STREQ(error, "module ends before it starts");
}
