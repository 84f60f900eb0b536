// mbload.c: the grader's Multiboot2 loader, a quick way past GRUB.
//
// Under `-icount` most of a graded boot used to be firmware: GRUB spends
// about 0.6 s of every boot in loops that wait for the clock. QEMU can
// load a Multiboot (version 1) kernel and its modules itself (`-kernel`,
// `-initrd`), which skips GRUB. This program is such a kernel. QEMU hands
// it the lab's kernel.elf as module 0 and the programs as modules 1..n
// (the module string is "<file> <name>"); it loads kernel.elf's segments
// where their physical addresses say, writes the Multiboot2 boot
// information GRUB would (command line, loader name, basic memory, memory
// map, one module tag per program), and enters the kernel in the state the
// Multiboot2 specification describes: 32-bit protected mode, paging off,
// EAX = 0x36d76289, EBX = the information's address.
//
// The kernel cannot tell the difference except by the loader's name: the
// memory map is the firmware's, as GRUB's is. Anything wrong (not a 64-bit
// ELF, no Multiboot2 header, a segment that would land on a module) is
// reported on COM1 as "mbload: ..." and QEMU is powered off with 0x11.
//
// grading/qemu.py builds it (gcc -m32, freestanding) and uses it for every
// boot except those a spec marks `"loader": "grub"`.
#include <stdint.h>

#define LOAD_ADDRESS 0x1000000  // 16 MiB: above any kernel image, well below 128 MiB

// --- The Multiboot (version 1) header, in the first 8 KiB of the file ------
__asm__(".section .text.mb1header, \"ax\"\n"
        ".align 4\n"
        ".long 0x1BADB002\n"                  // magic
        ".long 0x00000003\n"                  // page-aligned modules, memory info
        ".long -(0x1BADB002 + 0x00000003)\n"  // checksum
        ".global _start\n"
        "_start:\n"
        "  cli\n"
        "  mov $load_stack + 8192, %esp\n"
        "  push %ebx\n"  // Multiboot information
        "  push %eax\n"  // magic (0x2BADB002)
        "  call load\n"
        ".text\n");

uint8_t load_stack[8192] __attribute__((aligned(16)));

extern char _end[];

// --- Serial and power-off, for the one thing this program says -------------

static inline void outb(uint16_t port, uint8_t value) {
    __asm__ volatile("outb %0, %1" : : "a"(value), "Nd"(port));
}

static inline uint8_t inb(uint16_t port) {
    uint8_t value;
    __asm__ volatile("inb %1, %0" : "=a"(value) : "Nd"(port));
    return value;
}

static void putc_serial(char c) {
    while (!(inb(0x3F8 + 5) & 0x20))
        ;
    outb(0x3F8, (uint8_t)c);
}

static __attribute__((noreturn)) void fail(const char *why) {
    for (const char *s = "mbload: "; *s; s++)
        putc_serial(*s);
    for (; *why; why++)
        putc_serial(*why);
    putc_serial('\n');
    outb(0xF4, 0x11);  // isa-debug-exit: QEMU exits 35
    for (;;)
        __asm__ volatile("hlt");
}

// --- Small helpers ----------------------------------------------------------

static void copy(void *dst, const void *src, uint32_t n) {
    uint8_t *d = dst;
    const uint8_t *s = src;
    if (d < s)
        while (n--)
            *d++ = *s++;
    else
        while (n--)
            d[n] = s[n];
}

static void zero(void *dst, uint32_t n) {
    uint8_t *d = dst;
    while (n--)
        *d++ = 0;
}

static uint32_t length(const char *s) {
    uint32_t n = 0;
    while (s[n])
        n++;
    return n;
}

// The part of a Multiboot 1 command line after its first word (the file).
static const char *after_file(const char *s) {
    while (*s && *s != ' ')
        s++;
    while (*s == ' ')
        s++;
    return s;
}

static int overlaps(uint64_t a, uint64_t a_end, uint64_t b, uint64_t b_end) {
    return a < b_end && b < a_end;
}

// --- What QEMU gives us (Multiboot 1) ---------------------------------------

struct mb1_info {
    uint32_t flags, mem_lower, mem_upper, boot_device, cmdline, mods_count, mods_addr;
    uint32_t syms[4], mmap_length, mmap_addr;
};

struct mb1_module {
    uint32_t start, end, string, reserved;
};

// --- The kernel: a 64-bit ELF with a Multiboot2 header ----------------------

struct elf64_header {
    uint8_t ident[16];
    uint16_t type, machine;
    uint32_t version;
    uint64_t entry, phoff, shoff;
    uint32_t flags;
    uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct elf64_phdr {
    uint32_t type, flags;
    uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

// A Multiboot2 header: 8-aligned in the first 32 KiB, and its checksum.
static void check_mb2_header(const uint8_t *file, uint32_t size) {
    for (uint32_t at = 0; at + 16 <= size && at < 32768; at += 8) {
        const uint32_t *h = (const uint32_t *)(file + at);
        if (h[0] == 0xE85250D6 && h[0] + h[1] + h[2] + h[3] == 0) {
            if (h[1] != 0)
                fail("the Multiboot2 header is not for i386 (architecture 0)");
            return;
        }
    }
    fail("kernel.elf has no Multiboot2 header in its first 32 KiB");
}

// Copy kernel.elf's loadable segments to their physical addresses; they
// must not land on this program or on a module. Returns the entry.
static uint32_t load_kernel(const struct mb1_module *mods, uint32_t nmods) {
    const uint8_t *file = (const uint8_t *)mods[0].start;
    uint32_t size = mods[0].end - mods[0].start;
    const struct elf64_header *eh = (const void *)file;
    if (size < sizeof *eh || eh->ident[0] != 0x7F || eh->ident[1] != 'E' || eh->ident[2] != 'L' ||
        eh->ident[3] != 'F' || eh->ident[4] != 2 || eh->machine != 62)
        fail("kernel.elf is not a 64-bit x86 ELF file");
    check_mb2_header(file, size);
    if (eh->phentsize != sizeof(struct elf64_phdr) || eh->phoff > size ||
        (uint64_t)eh->phnum * sizeof(struct elf64_phdr) > size - eh->phoff)
        fail("kernel.elf's program headers are not inside the file");
    const struct elf64_phdr *ph = (const void *)(file + eh->phoff);
    for (uint32_t i = 0; i < eh->phnum; i++) {
        if (ph[i].type != 1 || ph[i].memsz == 0)  // PT_LOAD
            continue;
        uint64_t start = ph[i].paddr, end = start + ph[i].memsz;
        if (ph[i].filesz > ph[i].memsz || ph[i].offset > size || ph[i].filesz > size - ph[i].offset)
            fail("a segment of kernel.elf is not inside the file");
        if (start < 0x100000 || end > LOAD_ADDRESS || end < start)
            fail("a segment of kernel.elf is not between 1 MiB and 16 MiB");
        for (uint32_t m = 0; m < nmods; m++)
            if (m > 0 && overlaps(start, end, mods[m].start, mods[m].end))
                fail("a segment of kernel.elf would land on a module");
        copy((void *)(uint32_t)start, file + ph[i].offset, (uint32_t)ph[i].filesz);
        zero((void *)(uint32_t)(start + ph[i].filesz), (uint32_t)(ph[i].memsz - ph[i].filesz));
    }
    if (eh->entry >= LOAD_ADDRESS)
        fail("kernel.elf's entry is not in its first 16 MiB");
    return (uint32_t)eh->entry;
}

// --- The Multiboot2 information we write --------------------------------------

static uint8_t *out;  // the next tag goes here

static uint32_t *begin_tag(uint32_t type) {
    uint32_t *tag = (uint32_t *)out;
    tag[0] = type;
    out += 8;
    return tag;
}

static void end_tag(uint32_t *tag) {
    tag[1] = (uint32_t)(out - (uint8_t *)tag);
    while ((uint32_t)out & 7)
        *out++ = 0;
}

static void put_string(const char *s) {
    uint32_t n = length(s) + 1;
    copy(out, s, n);
    out += n;
}

static void put32(uint32_t v) {
    copy(out, &v, 4);
    out += 4;
}

static void put64(uint64_t v) {
    copy(out, &v, 8);
    out += 8;
}

static uint32_t write_info(const struct mb1_info *mb1, const struct mb1_module *mods,
                           uint32_t nmods, uint32_t where) {
    out = (uint8_t *)where;
    put32(0);  // total size, filled in below
    put32(0);
    uint32_t *tag = begin_tag(1);
    put_string(mb1->flags & (1 << 2) ? after_file((const char *)mb1->cmdline) : "");
    end_tag(tag);
    tag = begin_tag(2);
    put_string("mbload (Baton's grader)");
    end_tag(tag);
    for (uint32_t m = 1; m < nmods; m++) {
        tag = begin_tag(3);
        put32(mods[m].start);
        put32(mods[m].end);
        put_string(after_file((const char *)mods[m].string));
        end_tag(tag);
    }
    if (mb1->flags & 1) {
        tag = begin_tag(4);
        put32(mb1->mem_lower);
        put32(mb1->mem_upper);
        end_tag(tag);
    }
    // GRUB's boot device tag, which Baton does not use: a kernel must step
    // over tags it does not know, here as under GRUB.
    tag = begin_tag(5);
    put32(0xE0);  // the CD drive
    put32(0xFFFFFFFF);
    put32(0xFFFFFFFF);
    end_tag(tag);
    if (mb1->flags & (1 << 6)) {
        tag = begin_tag(6);
        put32(24);  // entry size
        put32(0);   // entry version
        for (uint32_t at = 0; at < mb1->mmap_length;) {
            const uint8_t *e = (const uint8_t *)(mb1->mmap_addr + at);
            uint32_t entry_size = *(const uint32_t *)e;
            put64(*(const uint64_t *)(e + 4));
            put64(*(const uint64_t *)(e + 12));
            put32(*(const uint32_t *)(e + 20));
            put32(0);
            at += entry_size + 4;
        }
        end_tag(tag);
    }
    tag = begin_tag(0);
    end_tag(tag);
    *(uint32_t *)where = (uint32_t)(out - (uint8_t *)where);
    return where;
}

__attribute__((noreturn, used)) void load(uint32_t magic, const struct mb1_info *mb1) {
    if (magic != 0x2BADB002 || !(mb1->flags & (1 << 3)) || mb1->mods_count == 0)
        fail("started without modules: QEMU must be given -initrd kernel.elf,...");
    const struct mb1_module *mods = (const void *)mb1->mods_addr;
    uint32_t nmods = mb1->mods_count;
    // The information goes above everything QEMU placed: this program, the
    // modules and their list.
    uint32_t top = (uint32_t)_end;
    for (uint32_t m = 0; m < nmods; m++)
        if (mods[m].end > top)
            top = mods[m].end;
    uint32_t entry = load_kernel(mods, nmods);
    uint32_t info = write_info(mb1, mods, nmods, (top + 4095) & ~4095u);
    __asm__ volatile("jmp *%2" : : "a"(0x36D76289), "b"(info), "r"(entry) : "memory");
    __builtin_unreachable();
}
