// elf_test.c: the ELF checker on a small program built here, and on
// broken copies of it (the grader boots many more broken files).
#include "elf.h"
#include "ktest.h"
#include "string.h"

// A minimal valid image: header, three program headers (text R-X, data RW-
// with one relocation, dynamic), the dynamic section and the relocation.
static uint8_t good[0x3000] __attribute__((aligned(8)));
static uint8_t file[0x3000] __attribute__((aligned(8)));

static void put16(uint8_t *p, uint16_t v) { memcpy(p, &v, 2); }
static void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static void put64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }

static void phdr(int i, uint32_t type, uint32_t flags, uint64_t offset, uint64_t vaddr,
                 uint64_t filesz, uint64_t memsz) {
    uint8_t *ph = good + 64 + i * 56;
    put32(ph, type);
    put32(ph + 4, flags);
    put64(ph + 8, offset);
    put64(ph + 16, vaddr);
    put64(ph + 32, filesz);
    put64(ph + 40, memsz);
}

static void build_good(void) {
    memset(good, 0, sizeof good);
    memcpy(good, "\177ELF", 4);
    good[4] = 2;  // 64-bit
    good[5] = 1;  // little-endian
    good[6] = 1;
    put16(good + 16, 3);       // ET_DYN
    put16(good + 18, 62);      // x86-64
    put64(good + 24, 0x1000);  // entry: the start of the text
    put64(good + 32, 64);      // program headers right after
    put16(good + 54, 56);
    put16(good + 56, 3);
    phdr(0, 1, 5, 0x1000, 0x1000, 0x100, 0x100);   // PT_LOAD R-X
    phdr(1, 1, 6, 0x2000, 0x2000, 0x100, 0x5000);  // PT_LOAD RW-, with BSS
    phdr(2, 2, 6, 0x2000, 0x2000, 0x50, 0x50);     // PT_DYNAMIC in the data
    uint8_t *dyn = good + 0x2000;
    put64(dyn + 0, 7);
    put64(dyn + 8, 0x2080);  // DT_RELA
    put64(dyn + 16, 8);
    put64(dyn + 24, 24);  // DT_RELASZ: one entry
    put64(dyn + 32, 9);
    put64(dyn + 40, 24);  // DT_RELAENT
    uint8_t *rela = good + 0x2080;
    put64(rela, 0x20C0);       // where
    put64(rela + 8, 8);        // R_X86_64_RELATIVE
    put64(rela + 16, 0x1000);  // addend
}

static const char *why;
static struct elf_image img;

static int check(uint64_t size) { return elf_check(file, size, &img, &why); }
static void fresh(void) {
    build_good();
    memcpy(file, good, sizeof good);
}

KTEST(elf, accepts_a_good_program) {
    fresh();
    ASSERT_EQ(check(sizeof file), 0);
    EXPECT_EQ(img.nsegments, 2);
    EXPECT_EQ(img.entry, 0x1000);
    EXPECT_EQ(img.span, 0x7000);
    EXPECT_TRUE(img.segments[0].exec && !img.segments[0].write);
    EXPECT_TRUE(img.segments[1].write && !img.segments[1].exec);
    ASSERT_EQ(img.rela_count, 1);
    uint64_t where, addend;
    elf_relocation(file, &img, 0, &where, &addend);
    EXPECT_EQ(where, 0x20C0);
    EXPECT_EQ(addend, 0x1000);
}

#define EXPECT_REFUSED(size, text) \
    do { \
        EXPECT_EQ(check(size), -1); \
        EXPECT_TRUE(why != NULL && strstr_simple(why, text)); \
        if (why && !strstr_simple(why, text)) \
            ktest_fail(__FILE__, __LINE__, "reason was \"%s\"", why); \
    } while (0)

static bool strstr_simple(const char *s, const char *part) {
    for (; *s; s++)
        if (strncmp(s, part, strlen(part)) == 0)
            return true;
    return false;
}

KTEST(elf, refuses_bad_headers) {
    fresh();
    EXPECT_REFUSED(40, "truncated");
    file[0] = 0;
    EXPECT_REFUSED(sizeof file, "magic");
    fresh();
    file[4] = 1;
    EXPECT_REFUSED(sizeof file, "64-bit");
    fresh();
    put16(file + 18, 3);
    EXPECT_REFUSED(sizeof file, "x86-64");
    fresh();
    put16(file + 16, 2);
    EXPECT_REFUSED(sizeof file, "position-independent");
    fresh();
    put64(file + 32, 0xFFFFFFFFFFFFFFF0ul);  // would wrap
    EXPECT_REFUSED(sizeof file, "program headers");
}

KTEST(elf, refuses_bad_segments) {
    fresh();
    put64(file + 64 + 32, 0x200);  // filesz > memsz
    EXPECT_REFUSED(sizeof file, "file size above memory size");
    fresh();
    put64(file + 64 + 8, 0xFFFFFFFFFFFFF000ul);  // offset overflows
    EXPECT_REFUSED(sizeof file, "outside the file");
    fresh();
    put64(file + 64 + 56 + 40, 0xFFFFFFFFFFFFFFF0ul);  // vaddr + memsz overflows
    EXPECT_REFUSED(sizeof file, "too large");
    fresh();
    put64(file + 64 + 56 + 16, 0x1000);  // data onto the text
    put64(file + 64 + 56 + 8, 0x1000);
    EXPECT_REFUSED(sizeof file, "overlap");
    fresh();
    put32(file + 64 + 4, 7);  // text RWX
    EXPECT_REFUSED(sizeof file, "writable and executable");
    fresh();
    put64(file + 24, 0x2010);  // entry in the data
    EXPECT_REFUSED(sizeof file, "entry point");
    fresh();
    put32(file + 64 + 2 * 56, 3);  // PT_INTERP
    EXPECT_REFUSED(sizeof file, "dynamic linker");
}

KTEST(elf, refuses_other_relocations_by_name) {
    fresh();
    put64(file + 0x2080 + 8, 1);  // R_X86_64_64
    EXPECT_REFUSED(sizeof file, "R_X86_64_64");
    fresh();
    put64(file + 0x2080, 0x900000);  // outside the program
    EXPECT_REFUSED(sizeof file, "outside the program");
}

KTEST(elf, every_truncation_is_refused_or_safe) {
    // Cut the good file at every length: each must be refused (no length
    // short of the last segment's end is a whole program).
    fresh();
    int accepted = 0;
    for (uint64_t size = 0; size < 0x2100; size += 8)
        accepted += check(size) == 0;
    EXPECT_EQ(accepted, 0);
}
