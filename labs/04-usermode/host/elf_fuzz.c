// elf_fuzz.c: a libFuzzer target for kernel/elf.c, and the promises it checks.
//
// The fuzzer hands elf_check() arbitrary bytes, in a buffer of exactly that
// size, so AddressSanitizer stops on the first read past the end and
// UndefinedBehaviorSanitizer on the first overflow or bad shift. Refusing is
// always fine. Accepting is fine only if the image keeps every promise of
// elf.h that the loader relies on without checking again; elf_image_broken()
// names the first promise broken, and the fuzzer aborts with it.
//
//   make fuzz [FUZZ_SECONDS=600]   build with clang -fsanitize=fuzzer and run
//
// elf_host_test.c links this file too (built with any C compiler, where
// LLVMFuzzerTestOneInput is just an unused function), so the unit tests and
// the fuzzer hold elf_check to the same rules.
#include "../kernel/elf.h"
#include <stdio.h>
#include <stdlib.h>

#define PAGE              4096ul
#define RELA_SIZE         24
#define R_X86_64_RELATIVE 8

const char *elf_image_broken(const uint8_t *file, uint64_t size, const struct elf_image *img);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

// [start, start + len) lies inside [0, limit), with no sum that can wrap.
static int fits(uint64_t start, uint64_t len, uint64_t limit) {
    return start <= limit && len <= limit - start;
}

// Some segment holds [vaddr, vaddr + len) in memory; exec = 1 asks for an
// executable one.
static int in_segment(const struct elf_image *img, uint64_t vaddr, uint64_t len, int exec) {
    for (int i = 0; i < img->nsegments; i++) {
        const struct elf_segment *s = &img->segments[i];
        if ((!exec || s->exec) && vaddr >= s->vaddr && fits(vaddr - s->vaddr, len, s->memsz))
            return 1;
    }
    return 0;
}

static uint64_t read64(const uint8_t *p) {
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

// NULL if the image that elf_check() accepted for `file` keeps its
// promises, else the first one it breaks, in words.
const char *elf_image_broken(const uint8_t *file, uint64_t size, const struct elf_image *img) {
    if (img->nsegments < 1 || img->nsegments > ELF_MAX_SEGMENTS)
        return "the number of segments is out of range";
    if (img->span > ELF_MAX_SPAN)
        return "the span is above ELF_MAX_SPAN";
    for (int i = 0; i < img->nsegments; i++) {
        const struct elf_segment *s = &img->segments[i];
        if (!fits(s->offset, s->filesz, size))
            return "a segment's file bytes lie outside the file";
        if (s->filesz > s->memsz)
            return "a segment's file size is above its memory size";
        if (!fits(s->vaddr, s->memsz, img->span))
            return "a segment ends beyond the span";
        if (s->write && s->exec)
            return "a segment is both writable and executable";
        if (s->vaddr % PAGE != s->offset % PAGE)
            return "a segment's address and file offset differ within a page";
        // In address order, and no page shared: each page has one set of
        // permissions. (The span check above bounds these sums.)
        if (i > 0) {
            const struct elf_segment *prev = &img->segments[i - 1];
            if (s->vaddr / PAGE < (prev->vaddr + prev->memsz + PAGE - 1) / PAGE)
                return "two segments share a page (or are out of order)";
        }
    }
    if (!in_segment(img, img->entry, 1, 1))
        return "the entry point is not inside an executable segment";
    if (img->rela_count > 0) {
        if (img->rela_count > size / RELA_SIZE ||
            !fits(img->rela_offset, img->rela_count * RELA_SIZE, size))
            return "the relocation table lies outside the file";
        int in_file_part = 0;  // it is part of the program, not trailing bytes
        for (int i = 0; i < img->nsegments; i++) {
            const struct elf_segment *s = &img->segments[i];
            in_file_part |=
                img->rela_offset >= s->offset &&
                fits(img->rela_offset - s->offset, img->rela_count * RELA_SIZE, s->filesz);
        }
        if (!in_file_part)
            return "the relocation table is not inside one segment's file bytes";
        for (uint64_t i = 0; i < img->rela_count; i++) {
            const uint8_t *r = file + img->rela_offset + i * RELA_SIZE;
            uint64_t where, addend;
            elf_relocation(file, img, i, &where, &addend);
            if (where != read64(r) || addend != read64(r + 16))
                return "elf_relocation does not return the table's entry";
            if ((read64(r + 8) & 0xFFFFFFFF) != R_X86_64_RELATIVE)
                return "a relocation is not R_X86_64_RELATIVE";
            if (!in_segment(img, where, 8, 0))
                return "a relocation writes outside the program's memory";
        }
    }
    return NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    struct elf_image img;
    const char *why = NULL;
    if (elf_check(data, size, &img, &why) == 0) {
        const char *broken = elf_image_broken(data, size, &img);
        if (broken) {
            fprintf(stderr, "elf_check accepted a %zu-byte file, but %s\n", size, broken);
            abort();
        }
    } else if (why == NULL || why[0] == '\0') {
        fprintf(stderr, "elf_check refused a %zu-byte file without saying why\n", size);
        abort();
    }
    return 0;
}
