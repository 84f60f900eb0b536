// elf.c: the ELF64 checker (see elf.h).
//
// Nothing in the file is used before it is checked, and every check of the
// form "a + b <= size" is written as "a <= size && b <= size - a" so that no
// sum can wrap around: a file that claims an offset near 2^64 must be
// refused, not read from address 0.
#include "elf.h"
#include "string.h"

// The parts of the ELF64 format we read (System V ABI, ELF-64 Object File
// Format), little-endian.
#define EHDR_SIZE         64
#define PHDR_SIZE         56
#define DYN_SIZE          16
#define RELA_SIZE         24
#define PT_LOAD           1
#define PT_DYNAMIC        2
#define PT_INTERP         3
#define PF_X              1
#define PF_W              2
#define ET_DYN            3
#define EM_X86_64         62
#define DT_NULL           0
#define DT_NEEDED         1
#define DT_RELA           7
#define DT_RELASZ         8
#define DT_RELAENT        9
#define DT_REL            17
#define DT_JMPREL         23
#define R_X86_64_RELATIVE 8
#define PAGE              4096ul

static char message[128];

// Fields are read byte by byte: a file's fields need not be aligned.
// clang-format off
static uint16_t u16(const uint8_t *p) { uint16_t v; memcpy(&v, p, 2); return v; }
static uint32_t u32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }
static uint64_t u64(const uint8_t *p) { uint64_t v; memcpy(&v, p, 8); return v; }
// clang-format on

// [offset, offset + len) lies inside a file of `size` bytes.
static bool inside(uint64_t offset, uint64_t len, uint64_t size) {
    return offset <= size && len <= size - offset;
}

static int refuse(const char **why, const char *text) {
    *why = text;
    return -1;
}

// A small formatter for messages with one or two numbers (the kernel's
// ksnprintf is not available on the host).
static const char *say(const char *text, uint64_t a, uint64_t b) {
    char *out = message, *end = message + sizeof message - 1;
    uint64_t numbers[2] = {a, b};
    int next = 0;
    for (const char *p = text; *p && out < end; p++) {
        if (*p != '#') {
            *out++ = *p;
            continue;
        }
        char digits[21];
        int n = 0;
        uint64_t v = numbers[next++ & 1];
        do {
            digits[n++] = '0' + v % 10;
            v /= 10;
        } while (v);
        while (n > 0 && out < end)
            *out++ = digits[--n];
    }
    *out = '\0';
    return message;
}

static int check_header(const uint8_t *f, uint64_t size, const char **why) {
    if (size < EHDR_SIZE)
        return refuse(why, "truncated: smaller than an ELF header");
    if (memcmp(f, "\177ELF", 4) != 0)
        return refuse(why, "not an ELF file (bad magic)");
    if (f[4] != 2)
        return refuse(why, say("not a 64-bit ELF file (class #)", f[4], 0));
    if (f[5] != 1)
        return refuse(why, "not little-endian");
    if (u16(f + 18) != EM_X86_64)
        return refuse(why, say("not an x86-64 program (machine #)", u16(f + 18), 0));
    if (u16(f + 16) != ET_DYN)
        return refuse(why, say("not a position-independent executable (type #)", u16(f + 16), 0));
    if (u16(f + 54) != PHDR_SIZE)
        return refuse(why, "program header entries have the wrong size");
    uint64_t phoff = u64(f + 32), phnum = u16(f + 56);
    if (phnum == 0 || phnum > 64)
        return refuse(why, say("# program headers (1 to 64 make sense)", phnum, 0));
    if (!inside(phoff, phnum * PHDR_SIZE, size))
        return refuse(why, "program headers lie outside the file");
    return 0;
}

// Check one PT_LOAD header and add it to the image.
static int add_segment(const uint8_t *ph, uint64_t size, struct elf_image *img, const char **why) {
    int n = img->nsegments;
    uint64_t offset = u64(ph + 8), vaddr = u64(ph + 16), filesz = u64(ph + 32),
             memsz = u64(ph + 40);
    uint32_t flags = u32(ph + 4);
    if (n == ELF_MAX_SEGMENTS)
        return refuse(why, "more loadable segments than the loader takes");
    if (filesz > memsz)
        return refuse(why, say("segment #: file size above memory size", n, 0));
    if (!inside(offset, filesz, size))
        return refuse(why, say("segment #: lies outside the file", n, 0));
    if (vaddr > ELF_MAX_SPAN || memsz > ELF_MAX_SPAN - vaddr)
        return refuse(why,
                      say("segment #: too large for memory (over # MiB)", n, ELF_MAX_SPAN >> 20));
    if (vaddr % PAGE != offset % PAGE)
        return refuse(why, say("segment #: address and file offset differ within a page", n, 0));
    // LAB 4: BEGIN SOLUTION
    if ((flags & PF_W) && (flags & PF_X))
        return refuse(why, say("segment # is writable and executable (W^X)", n, 0));
    // Pages must not be shared between segments: each page gets one set of
    // permissions. Segments come in address order (the ELF rule).
    if (n > 0) {
        const struct elf_segment *prev = &img->segments[n - 1];
        uint64_t prev_end_page = (prev->vaddr + prev->memsz + PAGE - 1) / PAGE;
        if (vaddr / PAGE < prev_end_page)
            return refuse(why, say("segments # and # overlap", n - 1, n));
    }
    // LAB 4: END SOLUTION
    img->segments[n] =
        (struct elf_segment){vaddr, memsz, offset, filesz, flags & PF_W, flags & PF_X};
    img->nsegments = n + 1;
    img->span = vaddr + memsz;
    return 0;
}

// The file offset of the bytes at `vaddr`..`vaddr + len` (they must lie in
// the file part of one segment), or -1.
static int64_t file_offset_of(const struct elf_image *img, uint64_t vaddr, uint64_t len) {
    for (int i = 0; i < img->nsegments; i++) {
        const struct elf_segment *s = &img->segments[i];
        if (vaddr >= s->vaddr && vaddr - s->vaddr <= s->filesz &&
            len <= s->filesz - (vaddr - s->vaddr))
            return s->offset + (vaddr - s->vaddr);
    }
    return -1;
}

static bool in_a_segment(const struct elf_image *img, uint64_t vaddr, uint64_t len) {
    for (int i = 0; i < img->nsegments; i++) {
        const struct elf_segment *s = &img->segments[i];
        if (vaddr >= s->vaddr && vaddr - s->vaddr <= s->memsz &&
            len <= s->memsz - (vaddr - s->vaddr))
            return true;
    }
    return false;
}

static const char *relocation_name(uint32_t type) {
    static const char *const names[] = {
        "R_X86_64_NONE",     "R_X86_64_64",       "R_X86_64_PC32",     "R_X86_64_GOT32",
        "R_X86_64_PLT32",    "R_X86_64_COPY",     "R_X86_64_GLOB_DAT", "R_X86_64_JUMP_SLOT",
        "R_X86_64_RELATIVE", "R_X86_64_GOTPCREL", "R_X86_64_32",       "R_X86_64_32S",
        "R_X86_64_16",       "R_X86_64_PC16",     "R_X86_64_8",        "R_X86_64_PC8",
        "R_X86_64_DTPMOD64", "R_X86_64_DTPOFF64", "R_X86_64_TPOFF64",
    };
    return type < sizeof names / sizeof names[0] ? names[type] : "an unknown relocation";
}

// "unsupported relocation R_X86_64_64 (type 1)": the name, then the number.
static const char *say_relocation(uint32_t type) {
    static char text[96];
    const char *prefix = "unsupported relocation ", *name = relocation_name(type);
    size_t n = 0;
    for (const char *p = prefix; *p; p++)
        text[n++] = *p;
    for (const char *p = name; *p && n < 60; p++)
        text[n++] = *p;
    const char *rest = say(" (type #)", type, 0);
    for (const char *p = rest; *p && n < sizeof text - 1; p++)
        text[n++] = *p;
    text[n] = '\0';
    return text;
}

// Read the dynamic section: where the relocations are; refuse whatever
// needs a dynamic linker. Then check every relocation.
static int check_dynamic(const uint8_t *f, uint64_t size, const uint8_t *ph, struct elf_image *img,
                         const char **why) {
    uint64_t offset = u64(ph + 8), filesz = u64(ph + 32);
    if (!inside(offset, filesz, size))
        return refuse(why, "the dynamic section lies outside the file");
    uint64_t rela = 0, relasz = 0, relaent = RELA_SIZE;
    for (uint64_t d = offset; filesz - (d - offset) >= DYN_SIZE; d += DYN_SIZE) {
        uint64_t tag = u64(f + d), value = u64(f + d + 8);
        if (tag == DT_NULL)
            break;
        if (tag == DT_NEEDED)
            return refuse(why, "needs a shared library (DT_NEEDED)");
        if (tag == DT_REL)
            return refuse(why, "unsupported relocation table (DT_REL, not DT_RELA)");
        if (tag == DT_JMPREL)
            return refuse(why, "unsupported relocations: a PLT (DT_JMPREL)");
        if (tag == DT_RELA)
            rela = value;
        else if (tag == DT_RELASZ)
            relasz = value;
        else if (tag == DT_RELAENT)
            relaent = value;
    }
    if (relasz == 0)
        return 0;
    if (relaent != RELA_SIZE || relasz % RELA_SIZE)
        return refuse(why, "the relocation table has a bad entry size");
    int64_t at = file_offset_of(img, rela, relasz);
    if (at < 0)
        return refuse(why, "the relocation table lies outside the file");
    img->rela_offset = at;
    img->rela_count = relasz / RELA_SIZE;
    for (uint64_t i = 0; i < img->rela_count; i++) {
        const uint8_t *r = f + at + i * RELA_SIZE;
        uint32_t type = u64(r + 8) & 0xFFFFFFFF;
        // LAB 4: BEGIN SOLUTION
        if (type != R_X86_64_RELATIVE)
            return refuse(why, say_relocation(type));
        // LAB 4: END SOLUTION
        // LAB 4: STUB (void)type;   /* lab 4: relocation types not checked yet */
        // LAB 4: STUB (void)say_relocation;
        if (!in_a_segment(img, u64(r), 8))
            return refuse(why, "a relocation points outside the program");
    }
    return 0;
}

int elf_check(const uint8_t *f, uint64_t size, struct elf_image *img, const char **why) {
    memset(img, 0, sizeof *img);
    if (check_header(f, size, why) < 0)
        return -1;
    uint64_t phoff = u64(f + 32), phnum = u16(f + 56);
    const uint8_t *dynamic = NULL;
    for (uint64_t i = 0; i < phnum; i++) {
        const uint8_t *ph = f + phoff + i * PHDR_SIZE;
        uint32_t type = u32(ph);
        if (type == PT_INTERP)
            return refuse(why, "needs a dynamic linker (PT_INTERP)");
        if (type == PT_DYNAMIC)
            dynamic = ph;
        if (type == PT_LOAD && add_segment(ph, size, img, why) < 0)
            return -1;
    }
    if (img->nsegments == 0)
        return refuse(why, "no loadable segment");
    img->entry = u64(f + 24);
    bool entry_ok = false;
    for (int i = 0; i < img->nsegments; i++) {
        const struct elf_segment *s = &img->segments[i];
        if (s->exec && img->entry >= s->vaddr && img->entry - s->vaddr < s->memsz)
            entry_ok = true;
    }
    if (!entry_ok)
        return refuse(why, "the entry point is not in an executable segment");
    return dynamic ? check_dynamic(f, size, dynamic, img, why) : 0;
}

void elf_relocation(const uint8_t *f, const struct elf_image *img, uint64_t i, uint64_t *where,
                    uint64_t *addend) {
    const uint8_t *r = f + img->rela_offset + i * RELA_SIZE;
    *where = u64(r);
    *addend = u64(r + 16);
}
