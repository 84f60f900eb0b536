// elf.h: checking an ELF64 program before anything of it is trusted.
//
// elf_check() reads a file (bytes the kernel got as a boot module) and
// either fills struct elf_image with everything the loader needs, all of it
// checked against the file's size with arithmetic that cannot overflow, or
// says in words why the file is refused. It allocates nothing and touches
// nothing else, so it builds on the host too, where a fuzzer feeds it.
//
// Baton runs position-independent executables (ET_DYN, x86-64, static: no
// interpreter, no shared libraries) whose only relocations are
// R_X86_64_RELATIVE: "add the load address to this word".
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ELF_MAX_SEGMENTS 8
#define ELF_MAX_SPAN     (64ul << 20)  // the most memory one program may span

struct elf_segment {
    uint64_t vaddr, memsz;    // where, relative to the load address
    uint64_t offset, filesz;  // what to copy from the file
    bool write, exec;         // read is always allowed
};

struct elf_image {
    uint64_t entry;  // relative to the load address
    uint64_t span;   // bytes from 0 to the end of the last segment
    int nsegments;
    struct elf_segment segments[ELF_MAX_SEGMENTS];
    uint64_t rela_offset;  // file offset of the relocations
    uint64_t rela_count;   // all R_X86_64_RELATIVE, all checked
};

// 0 and *image filled, or -1 and *why set (a sentence, as in
// "proc - name: rejected: <why>"). `why` may point into a buffer inside
// this file: use it before the next call.
int elf_check(const uint8_t *file, uint64_t size, struct elf_image *image, const char **why);

// The i-th relocation of a checked image: where (relative to the load
// address) to add the load address to the addend.
void elf_relocation(const uint8_t *file, const struct elf_image *image, uint64_t i, uint64_t *where,
                    uint64_t *addend);
