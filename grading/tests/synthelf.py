"""A small, good static PIE built with struct, for tests that need one
without a compiler: what labs/04-usermode/user builds, in miniature.

Layout (page size 0x1000):

    file 0x0000 / vaddr 0x0000  LOAD R    ELF header, program headers, .rela.dyn at 0x200
    file 0x1000 / vaddr 0x1000  LOAD R E  0x1100 bytes of text (over a page), entry at 0x1010
    file 0x3040 / vaddr 0x4040  LOAD RW   .dynamic (0x60), then data with two pointers;
                                          memsz 0x2000 (the rest is BSS)
                                DYNAMIC   the .dynamic above: DT_RELA, DT_RELASZ, DT_RELAENT
                                GNU_STACK
    file 0x3140..0x3180         0x40 bytes standing in for the section headers

Its two relocations are R_X86_64_RELATIVE: the data's pointers to the
entry point and to the first pointer.
"""

import struct

PAGE = 0x1000
ENTRY = 0x1010
TEXT = (0x1000, 0x1000, 0x1100)                 # offset, vaddr, size
DATA = (0x3040, 0x4040, 0x100, 0x2000)          # offset, vaddr, filesz, memsz
RELA_AT = 0x200
HEADERS_SIZE = 0x230                             # the first LOAD: headers and relocations
FILE_SIZE = 0x3180
PT_LOAD, PT_DYNAMIC, PT_GNU_STACK = 1, 2, 0x6474e551
PF_X, PF_W, PF_R = 1, 2, 4


def phdr(p_type, flags, offset, vaddr, filesz, memsz, align):
    return struct.pack("<IIQQQQQQ", p_type, flags, offset, vaddr, vaddr, filesz, memsz, align)


def build():
    """The file's bytes."""
    data = bytearray(FILE_SIZE)
    headers = [
        phdr(PT_LOAD, PF_R, 0, 0, HEADERS_SIZE, HEADERS_SIZE, PAGE),
        phdr(PT_LOAD, PF_R | PF_X, TEXT[0], TEXT[1], TEXT[2], TEXT[2], PAGE),
        phdr(PT_LOAD, PF_R | PF_W, DATA[0], DATA[1], DATA[2], DATA[3], PAGE),
        phdr(PT_DYNAMIC, PF_R | PF_W, DATA[0], DATA[1], 0x60, 0x60, 8),
        phdr(PT_GNU_STACK, PF_R | PF_W, 0, 0, 0, 0, 16),
    ]
    ident = b"\x7fELF" + bytes([2, 1, 1]) + bytes(9)
    struct.pack_into("<16sHHIQQQIHHHHHH", data, 0, ident, 3, 62, 1, ENTRY, 64,
                     FILE_SIZE - 0x40, 0, 64, 56, len(headers), 64, 1, 0)
    data[64:64 + 56 * len(headers)] = b"".join(headers)
    # Two R_X86_64_RELATIVE relocations of the data's pointers.
    first, second = DATA[1] + 0x60, DATA[1] + 0x68
    struct.pack_into("<QQq", data, RELA_AT, first, 8, ENTRY)
    struct.pack_into("<QQq", data, RELA_AT + 24, second, 8, first)
    # Text: `xor edi, edi; mov eax, 0; syscall` at the entry, int3 elsewhere.
    data[TEXT[0]:TEXT[0] + TEXT[2]] = b"\xcc" * TEXT[2]
    code = b"\x31\xff\xb8\x00\x00\x00\x00\x0f\x05"
    at = TEXT[0] + ENTRY - TEXT[1]
    data[at:at + len(code)] = code
    # .dynamic: DT_RELA, DT_RELASZ, DT_RELAENT, DT_FLAGS_1 = DF_1_PIE, DT_NULL.
    dynamic = [(7, RELA_AT), (8, 48), (9, 24), (0x6ffffffb, 0x08000000), (0, 0), (0, 0)]
    for index, (tag, value) in enumerate(dynamic):
        struct.pack_into("<QQ", data, DATA[0] + 16 * index, tag, value)
    return bytes(data)
