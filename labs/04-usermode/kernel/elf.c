// elf.c: the ELF64 checker (see elf.h).
//
// Nothing in the file is used before it is checked, and every check of the
// form "a + b <= size" is written as "a <= size && b <= size - a" so that no
// sum can wrap around: a file that claims an offset near 2^64 must be
// refused, not read from address 0.
//
// The file's structures are read through the spec's own definitions
// (Elf64_Ehdr, Elf64_Phdr, Elf64_Dyn, Elf64_Rela), each copied out of the
// file with memcpy once its bytes are known to lie inside it: a boot module
// need not be aligned, so the file is never accessed through a struct
// pointer.
#include "elf.h"
#include "format.h"
#include "string.h"

// The parts of the ELF64 format we read (System V ABI, ELF-64 Object File
// Format), little-endian.
typedef struct {
    uint8_t e_ident[16];  // "\177ELF", class, data (byte order), version, ...
    uint16_t e_type;
    uint16_t e_machine;
    uint32_t e_version;
    uint64_t e_entry;  // the entry point (relative to the load address here)
    uint64_t e_phoff;  // where the program headers start in the file
    uint64_t e_shoff;
    uint32_t e_flags;
    uint16_t e_ehsize;
    uint16_t e_phentsize;  // the size of one program header
    uint16_t e_phnum;      // how many there are
    uint16_t e_shentsize, e_shnum, e_shstrndx;
} Elf64_Ehdr;

typedef struct {  // a program header: one segment
    uint32_t p_type;
    uint32_t p_flags;
    uint64_t p_offset;  // where its bytes start in the file
    uint64_t p_vaddr;   // where they go in memory
    uint64_t p_paddr;
    uint64_t p_filesz;  // bytes in the file
    uint64_t p_memsz;   // bytes in memory (the rest is zero: BSS)
    uint64_t p_align;
} Elf64_Phdr;

typedef struct {  // an entry of the dynamic section
    int64_t d_tag;
    uint64_t d_val;
} Elf64_Dyn;

typedef struct {        // a relocation with an addend
    uint64_t r_offset;  // the word to patch
    uint64_t r_info;    // the type in the low 32 bits
    int64_t r_addend;
} Elf64_Rela;

_Static_assert(sizeof(Elf64_Ehdr) == 64 && sizeof(Elf64_Phdr) == 56 && sizeof(Elf64_Dyn) == 16 &&
                   sizeof(Elf64_Rela) == 24,
               "the ELF64 structures have the spec's sizes");

#define ELFCLASS64        2
#define ELFDATA2LSB       1
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

// [offset, offset + len) lies inside a file of `size` bytes.
static bool inside(uint64_t offset, uint64_t len, uint64_t size) {
    return offset <= size && len <= size - offset;
}

// Copies of the file's structures (callers checked that they lie inside).
static Elf64_Phdr phdr_at(const uint8_t *f, uint64_t offset) {
    Elf64_Phdr ph;
    memcpy(&ph, f + offset, sizeof ph);
    return ph;
}

static Elf64_Dyn dyn_at(const uint8_t *f, uint64_t offset) {
    Elf64_Dyn d;
    memcpy(&d, f + offset, sizeof d);
    return d;
}

static Elf64_Rela rela_at(const uint8_t *f, uint64_t offset) {
    Elf64_Rela r;
    memcpy(&r, f + offset, sizeof r);
    return r;
}

static int refuse(const char **why, const char *text) {
    *why = text;
    return -1;
}

// A refusal with numbers in it, formatted by format.c into a buffer that
// the next call overwrites (elf.h says so).
static const char *say(const char *fmt, ...) PRINTF_LIKE(1, 2);
static const char *say(const char *fmt, ...) {
    static char message[128];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    return message;
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

// The ELF header: what kind of file this is, and where its program headers
// are (all of them inside the file). 0 and *eh filled, or -1.
static int check_header(const uint8_t *f, uint64_t size, Elf64_Ehdr *eh, const char **why) {
    // LAB 4: BEGIN SOLUTION
    if (size < sizeof *eh)
        return refuse(why, "truncated: smaller than an ELF header");
    memcpy(eh, f, sizeof *eh);
    if (memcmp(eh->e_ident, "\177ELF", 4) != 0)
        return refuse(why, "not an ELF file (bad magic)");
    if (eh->e_ident[4] != ELFCLASS64)
        return refuse(why, say("not a 64-bit ELF file (class %u)", eh->e_ident[4]));
    if (eh->e_ident[5] != ELFDATA2LSB)
        return refuse(why, "not little-endian");
    if (eh->e_machine != EM_X86_64)
        return refuse(why, say("not an x86-64 program (machine %u)", eh->e_machine));
    if (eh->e_type != ET_DYN)
        return refuse(why, say("not a position-independent executable (type %u)", eh->e_type));
    if (eh->e_phentsize != sizeof(Elf64_Phdr))
        return refuse(why, "program header entries have the wrong size");
    if (eh->e_phnum == 0 || eh->e_phnum > 64)
        return refuse(why, say("%u program headers (1 to 64 make sense)", eh->e_phnum));
    if (!inside(eh->e_phoff, (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr), size))
        return refuse(why, "program headers lie outside the file");
    return 0;
    // LAB 4: END SOLUTION
    // LAB 4: STUB (void)f, (void)size, (void)eh;
    // LAB 4: STUB return refuse(why, "lab 4: check_header not written yet");
}

// Check one PT_LOAD header and add it to the image.
static int add_segment(const Elf64_Phdr *ph, uint64_t size, struct elf_image *img,
                       const char **why) {
    // LAB 4: BEGIN SOLUTION
    int n = img->nsegments;
    uint64_t vaddr = ph->p_vaddr, memsz = ph->p_memsz;
    if (n == ELF_MAX_SEGMENTS)
        return refuse(why, "more loadable segments than the loader takes");
    if (ph->p_filesz > memsz)
        return refuse(why, say("segment %d: file size above memory size", n));
    if (!inside(ph->p_offset, ph->p_filesz, size))
        return refuse(why, say("segment %d: lies outside the file", n));
    if (vaddr > ELF_MAX_SPAN || memsz > ELF_MAX_SPAN - vaddr)
        return refuse(
            why, say("segment %d: too large for memory (over %lu MiB)", n, ELF_MAX_SPAN >> 20));
    if (vaddr % PAGE != ph->p_offset % PAGE)
        return refuse(why, say("segment %d: address and file offset differ within a page", n));
    if ((ph->p_flags & PF_W) && (ph->p_flags & PF_X))
        return refuse(why, say("segment %d is writable and executable (W^X)", n));
    // Pages must not be shared between segments: each page gets one set of
    // permissions. Segments come in address order (the ELF rule).
    if (n > 0) {
        const struct elf_segment *prev = &img->segments[n - 1];
        uint64_t prev_end_page = (prev->vaddr + prev->memsz + PAGE - 1) / PAGE;
        if (vaddr / PAGE < prev_end_page)
            return refuse(why, say("segments %d and %d overlap", n - 1, n));
    }
    img->segments[n] = (struct elf_segment){
        vaddr, memsz, ph->p_offset, ph->p_filesz, ph->p_flags & PF_W, ph->p_flags & PF_X,
    };
    img->nsegments = n + 1;
    img->span = vaddr + memsz;
    return 0;
    // LAB 4: END SOLUTION
    // LAB 4: STUB (void)ph, (void)size, (void)img;
    // LAB 4: STUB return refuse(why, "lab 4: add_segment not written yet");
}

// The file offset of the bytes at `vaddr`..`vaddr + len` (they must lie in
// the file part of one segment), or -1.
static int64_t file_offset_of(const struct elf_image *img, uint64_t vaddr, uint64_t len) {
    // LAB 4: BEGIN SOLUTION
    for (int i = 0; i < img->nsegments; i++) {
        const struct elf_segment *s = &img->segments[i];
        if (vaddr >= s->vaddr && vaddr - s->vaddr <= s->filesz &&
            len <= s->filesz - (vaddr - s->vaddr))
            return s->offset + (vaddr - s->vaddr);
    }
    return -1;
    // LAB 4: END SOLUTION
    // LAB 4: STUB (void)img, (void)vaddr, (void)len;
    // LAB 4: STUB return -1;   /* lab 4: file_offset_of not written yet */
}

// [vaddr, vaddr + len) lies in the memory of one segment.
static bool in_a_segment(const struct elf_image *img, uint64_t vaddr, uint64_t len) {
    // LAB 4: BEGIN SOLUTION
    for (int i = 0; i < img->nsegments; i++) {
        const struct elf_segment *s = &img->segments[i];
        if (vaddr >= s->vaddr && vaddr - s->vaddr <= s->memsz &&
            len <= s->memsz - (vaddr - s->vaddr))
            return true;
    }
    return false;
    // LAB 4: END SOLUTION
    // LAB 4: STUB (void)img, (void)vaddr, (void)len;
    // LAB 4: STUB return false;   /* lab 4: in_a_segment not written yet */
}

// Read the dynamic section: where the relocations are; refuse whatever
// needs a dynamic linker. Then check every relocation.
static int check_dynamic(const uint8_t *f, uint64_t size, const Elf64_Phdr *ph,
                         struct elf_image *img, const char **why) {
    // LAB 4: BEGIN SOLUTION
    uint64_t offset = ph->p_offset, filesz = ph->p_filesz;
    if (!inside(offset, filesz, size))
        return refuse(why, "the dynamic section lies outside the file");
    uint64_t rela = 0, relasz = 0, relaent = sizeof(Elf64_Rela);
    for (uint64_t d = offset; filesz - (d - offset) >= sizeof(Elf64_Dyn); d += sizeof(Elf64_Dyn)) {
        Elf64_Dyn dyn = dyn_at(f, d);
        if (dyn.d_tag == DT_NULL)
            break;
        if (dyn.d_tag == DT_NEEDED)
            return refuse(why, "needs a shared library (DT_NEEDED)");
        if (dyn.d_tag == DT_REL)
            return refuse(why, "unsupported relocation table (DT_REL, not DT_RELA)");
        if (dyn.d_tag == DT_JMPREL)
            return refuse(why, "unsupported relocations: a PLT (DT_JMPREL)");
        if (dyn.d_tag == DT_RELA)
            rela = dyn.d_val;
        else if (dyn.d_tag == DT_RELASZ)
            relasz = dyn.d_val;
        else if (dyn.d_tag == DT_RELAENT)
            relaent = dyn.d_val;
    }
    if (relasz == 0)
        return 0;
    if (relaent != sizeof(Elf64_Rela) || relasz % sizeof(Elf64_Rela))
        return refuse(why, "the relocation table has a bad entry size");
    int64_t at = file_offset_of(img, rela, relasz);
    if (at < 0)
        return refuse(why, "the relocation table lies outside the file");
    img->rela_offset = at;
    img->rela_count = relasz / sizeof(Elf64_Rela);
    for (uint64_t i = 0; i < img->rela_count; i++) {
        Elf64_Rela r = rela_at(f, at + i * sizeof(Elf64_Rela));
        uint32_t type = r.r_info & 0xFFFFFFFF;
        if (type != R_X86_64_RELATIVE)
            return refuse(why,
                          say("unsupported relocation %s (type %u)", relocation_name(type), type));
        if (!in_a_segment(img, r.r_offset, 8))
            return refuse(why, "a relocation points outside the program");
    }
    return 0;
    // LAB 4: END SOLUTION
    // LAB 4: STUB (void)f, (void)size, (void)ph, (void)img, (void)dyn_at, (void)rela_at;
    // LAB 4: STUB (void)file_offset_of, (void)in_a_segment, (void)relocation_name;
    // LAB 4: STUB return refuse(why, "lab 4: check_dynamic not written yet");
}

// The header, then each program header, then the entry point, then the
// relocations: the first problem found is the one reported.
int elf_check(const uint8_t *f, uint64_t size, struct elf_image *img, const char **why) {
    memset(img, 0, sizeof *img);
    // LAB 4: BEGIN SOLUTION
    Elf64_Ehdr eh;
    if (check_header(f, size, &eh, why) < 0)
        return -1;
    Elf64_Phdr dynamic = {0};
    for (uint64_t i = 0; i < eh.e_phnum; i++) {
        Elf64_Phdr ph = phdr_at(f, eh.e_phoff + i * sizeof(Elf64_Phdr));
        if (ph.p_type == PT_INTERP)
            return refuse(why, "needs a dynamic linker (PT_INTERP)");
        if (ph.p_type == PT_DYNAMIC)
            dynamic = ph;
        if (ph.p_type == PT_LOAD && add_segment(&ph, size, img, why) < 0)
            return -1;
    }
    if (img->nsegments == 0)
        return refuse(why, "no loadable segment");
    img->entry = eh.e_entry;
    bool entry_ok = false;
    for (int i = 0; i < img->nsegments; i++) {
        const struct elf_segment *s = &img->segments[i];
        if (s->exec && img->entry >= s->vaddr && img->entry - s->vaddr < s->memsz)
            entry_ok = true;
    }
    if (!entry_ok)
        return refuse(why, "the entry point is not in an executable segment");
    return dynamic.p_type == PT_DYNAMIC ? check_dynamic(f, size, &dynamic, img, why) : 0;
    // LAB 4: END SOLUTION
    // LAB 4: STUB (void)f, (void)size, (void)check_header, (void)add_segment, (void)check_dynamic;
    // LAB 4: STUB (void)phdr_at, (void)inside, (void)say;
    // LAB 4: STUB return refuse(why, "lab 4: elf_check not written yet");
}

void elf_relocation(const uint8_t *f, const struct elf_image *img, uint64_t i, uint64_t *where,
                    uint64_t *addend) {
    Elf64_Rela r = rela_at(f, img->rela_offset + i * sizeof(Elf64_Rela));
    *where = r.r_offset;
    *addend = r.r_addend;
}
