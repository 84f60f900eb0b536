"""Malformed ELF programs, made from a good one, for the loader's tests.

Owns: every kind of broken program the project tests its loader with,
both the grader's extra boot modules (a spec's `modules` key) and the
lab 04 host test's bad seeds (labs/04-usermode/host/elf.mk makes every
kind from corpus/elf/good-pie-small at build time). Each is a function
that takes the bytes of a good static PIE (ET_DYN, x86-64, PT_LOAD
segments, a PT_DYNAMIC whose DT_RELA table holds R_X86_64_RELATIVE
relocations: what labs/04-usermode/user builds) and returns a copy with
exactly one thing wrong. Where breaking a field would break a second
thing by accident (moving a segment moves the entry point out of it), the
function keeps the rest consistent, so that a kernel has one reason, and
one only, to refuse the file.

The kernel must refuse each with `proc - <module name>: rejected: <reason>`.
Relies on nothing but `struct`; the layouts are those of the System V
ABI's ELF-64 format, little-endian: the file header is 64 bytes, a program
header 56, an Elf64_Dyn 16, an Elf64_Rela 24.

    import badelf
    broken = badelf.KINDS["bad_magic"](open("build/user/hello", "rb").read())
    badelf.make("too_large", good)      # the same, with a clear error for a bad kind
    good = badelf.minimal_pie()         # a small good PIE of its own, for tests

To try them by hand (each file is named like its module, `bad-magic`...):

    python3 grading/badelf.py --lab 4 /tmp/bad [KIND ...]
    make qemu LAB=4 MODULES=/tmp/bad/bad-magic CMDLINE=run=bad-magic,hello
"""

import argparse
import os
import struct
import sys

EHDR_SIZE = 64
PHDR_SIZE = 56
DYN_SIZE = 16
RELA_SIZE = 24
PAGE = 0x1000
U64 = 1 << 64

ELFCLASS32 = 1
ELFDATA2MSB = 2
ET_EXEC = 2
ET_DYN = 3
EM_386 = 3
EM_X86_64 = 62
EM_AARCH64 = 183
PT_NULL = 0
PT_LOAD = 1
PT_DYNAMIC = 2
PT_INTERP = 3
PT_GNU_STACK = 0x6474e551
PF_X = 1
PF_W = 2
PF_R = 4
DT_NULL = 0
DT_NEEDED = 1
DT_RELA = 7
DT_RELASZ = 8
DT_RELAENT = 9
DT_DEBUG = 21
DT_FLAGS_1 = 0x6ffffffb
DF_1_PIE = 0x08000000
R_X86_64_64 = 1
R_X86_64_RELATIVE = 8

# Where each field sits: (offset, struct format), in the file header...
EHDR = {"class": (4, "<B"), "data": (5, "<B"), "type": (16, "<H"), "machine": (18, "<H"),
        "entry": (24, "<Q"), "phoff": (32, "<Q"), "phentsize": (54, "<H"), "phnum": (56, "<H")}
# ...and in a program header, from its start.
PHDR = {"type": (0, "<I"), "flags": (4, "<I"), "offset": (8, "<Q"), "vaddr": (16, "<Q"),
        "paddr": (24, "<Q"), "filesz": (32, "<Q"), "memsz": (40, "<Q"), "align": (48, "<Q")}

ENTRY_NOWHERE = 0x7fff0000   # an entry point far from any segment
TOO_LARGE = 64 << 30         # 64 GiB: more memory than any test machine has
OFFSET_NEAR_END = 0xfffffffffffff000


class CannotBreak(ValueError):
    """The program given lacks what a kind needs (not a good PIE, no relocation...)."""


# --- Reading and writing fields -------------------------------------------------

def get(data, offset, fmt):
    return struct.unpack_from(fmt, data, offset)[0]


def put(data, offset, fmt, value):
    struct.pack_into(fmt, data, offset, value)


class Phdr:
    """One program header: its fields, and `at`, where it sits in the file."""

    def __init__(self, data, at, index):
        self.at = at
        self.index = index
        for name, (offset, fmt) in PHDR.items():
            setattr(self, name, get(data, at + offset, fmt))

    def set(self, data, name, value):
        offset, fmt = PHDR[name]
        put(data, self.at + offset, fmt, value)
        setattr(self, name, value)


def header(data):
    """The file header's fields this module knows, as a dict."""
    return {name: get(data, offset, fmt) for name, (offset, fmt) in EHDR.items()}


def set_header(data, name, value):
    offset, fmt = EHDR[name]
    put(data, offset, fmt, value)


def with_header(good, field, value):
    """A copy of good with one file-header field (EHDR) set to value."""
    data = _copy(good)
    set_header(data, field, value)
    return bytes(data)


def program_headers(data):
    """Every program header of a good file, in file order."""
    h = header(data)
    return [Phdr(data, h["phoff"] + i * PHDR_SIZE, i) for i in range(h["phnum"])]


def check_good(data):
    """Raise CannotBreak unless data is an ELF64 x86-64 PIE with its headers in it."""
    if len(data) < EHDR_SIZE or bytes(data[:4]) != b"\x7fELF":
        raise CannotBreak("not an ELF file")
    h = header(data)
    problems = [(h["class"] != 2, "not ELFCLASS64"), (h["data"] != 1, "not little-endian"),
                (h["machine"] != EM_X86_64, "not x86-64"), (h["type"] != ET_DYN, "not ET_DYN"),
                (h["phentsize"] != PHDR_SIZE, "e_phentsize is not 56"),
                (h["phoff"] + h["phnum"] * PHDR_SIZE > len(data), "program headers outside it")]
    for bad, why in problems:
        if bad:
            raise CannotBreak("not a good static PIE to break: %s" % why)


def loads(data):
    """The PT_LOAD headers, in file order; CannotBreak if there are none."""
    found = [ph for ph in program_headers(data) if ph.type == PT_LOAD]
    if not found:
        raise CannotBreak("the program has no PT_LOAD segment")
    return found


def file_offset(data, vaddr, size):
    """The file offset of [vaddr, vaddr + size) inside one segment's file bytes."""
    for ph in loads(data):
        if ph.vaddr <= vaddr and vaddr + size <= ph.vaddr + ph.filesz:
            return ph.offset + (vaddr - ph.vaddr)
    raise CannotBreak("address 0x%x is in no segment's file bytes" % vaddr)


def dynamic_entries(data):
    """[(file offset, d_tag, d_val)] of the PT_DYNAMIC section, up to its DT_NULL."""
    dynamic = [ph for ph in program_headers(data) if ph.type == PT_DYNAMIC]
    if not dynamic:
        return []
    ph = dynamic[0]
    found = []
    for at in range(ph.offset, min(ph.offset + ph.filesz, len(data)) - DYN_SIZE + 1, DYN_SIZE):
        tag, value = struct.unpack_from("<QQ", data, at)
        if tag == DT_NULL:
            break
        found.append((at, tag, value))
    return found


def relocations(data):
    """[(file offset, r_offset, r_info, r_addend)] of the DT_RELA table."""
    tags = {}
    for _, tag, value in dynamic_entries(data):
        tags.setdefault(tag, value)
    if DT_RELA not in tags or not tags.get(DT_RELASZ):
        return []
    if tags.get(DT_RELAENT, RELA_SIZE) != RELA_SIZE:
        raise CannotBreak("DT_RELAENT is not %d" % RELA_SIZE)
    start = file_offset(data, tags[DT_RELA], tags[DT_RELASZ])
    return [(at,) + struct.unpack_from("<QQq", data, at)
            for at in range(start, start + tags[DT_RELASZ] - RELA_SIZE + 1, RELA_SIZE)]


def phdr_bytes(p_type, flags, offset, vaddr, filesz, memsz, align):
    """One program header's 56 bytes (p_paddr = p_vaddr)."""
    return struct.pack("<IIQQQQQQ", p_type, flags, offset, vaddr, vaddr, filesz, memsz, align)


def _copy(good):
    check_good(good)
    return bytearray(good)


# --- The kinds ---------------------------------------------------------------------
# Each takes the good file's bytes and returns the broken file's bytes.

def truncated_header(good):
    """The first 40 bytes only: the file ends inside its ELF header."""
    return bytes(_copy(good)[:40])


def empty(good):
    """A file of 0 bytes."""
    return b""


def bad_magic(good):
    """The last magic byte is 'X', not 'F' (e_ident starts \\x7fELX)."""
    data = _copy(good)
    data[3] = ord("X")
    return bytes(data)


def bad_class(good):
    """e_ident[EI_CLASS] = ELFCLASS32 (1): a 32-bit file."""
    return with_header(good, "class", ELFCLASS32)


def bad_data(good):
    """e_ident[EI_DATA] = ELFDATA2MSB (2): a big-endian file."""
    return with_header(good, "data", ELFDATA2MSB)


def bad_machine(good):
    """e_machine = EM_386 (3): a program for 32-bit x86."""
    return with_header(good, "machine", EM_386)


def bad_type(good):
    """e_type = ET_EXEC (2): a fixed-address executable, not a PIE."""
    return with_header(good, "type", ET_EXEC)


def wrong_phentsize(good):
    """e_phentsize = 32: program header entries of the wrong size."""
    return with_header(good, "phentsize", 32)


def phdrs_outside(good):
    """e_phoff = the file's size: the program header table starts where the file ends."""
    return with_header(good, "phoff", len(good))


def phnum_overflow(good):
    """e_phnum = 0xffff: e_phoff + e_phnum * e_phentsize runs far past the file's end."""
    return with_header(good, "phnum", 0xffff)


def filesz_above_memsz(good):
    """The first PT_LOAD with file bytes gets p_memsz = p_filesz - 1."""
    data = _copy(good)
    with_bytes = [ph for ph in loads(data) if ph.filesz > 0]
    if not with_bytes:
        raise CannotBreak("no PT_LOAD segment has file bytes")
    with_bytes[0].set(data, "memsz", with_bytes[0].filesz - 1)
    return bytes(data)


def offset_overflow(good):
    """The largest page-aligned PT_LOAD gets p_offset = 0xfffffffffffff000 (offset + filesz wraps)."""
    data = _copy(good)
    segments = loads(data)
    aligned = [ph for ph in segments if ph.vaddr % PAGE == 0] or segments
    target = max(aligned, key=lambda ph: ph.filesz)   # the first of the largest
    target.set(data, "offset", OFFSET_NEAR_END)
    return bytes(data)


def size_overflow(good):
    """The last PT_LOAD's p_memsz makes p_vaddr + p_memsz wrap past 2^64 (to at most 0x1000)."""
    data = _copy(good)
    last = loads(data)[-1]
    if last.vaddr < 2:
        raise CannotBreak("the last PT_LOAD is at address %d: no p_memsz can wrap" % last.vaddr)
    wrapped_end = min(PAGE, last.vaddr - 1)
    last.set(data, "memsz", U64 - last.vaddr + wrapped_end)
    return bytes(data)


def segment_outside_file(good):
    """The largest PT_LOAD's p_offset moves to the file's last page: its bytes run past the end."""
    data = _copy(good)
    target = max(loads(data), key=lambda ph: ph.filesz)
    if target.filesz == 0:
        raise CannotBreak("no PT_LOAD segment has file bytes")
    within_page = target.vaddr % PAGE              # keep p_offset = p_vaddr modulo the page
    offset = (max(len(data) - 1 - within_page, 0) // PAGE) * PAGE + within_page
    if offset + target.filesz <= len(data):
        offset += PAGE                             # a small segment: start past the end
    target.set(data, "offset", offset)
    return bytes(data)


def overlapping_segments(good):
    """The second PT_LOAD moves onto the first one's first page (the entry point moves with it)."""
    data = _copy(good)
    segments = loads(data)
    if len(segments) < 2:
        raise CannotBreak("the program has only one PT_LOAD segment")
    first, second = segments[0], segments[1]
    new_vaddr = (first.vaddr - first.vaddr % PAGE) + second.vaddr % PAGE
    entry = header(data)["entry"]
    if second.vaddr <= entry < second.vaddr + second.memsz:
        set_header(data, "entry", entry - second.vaddr + new_vaddr)
    second.set(data, "vaddr", new_vaddr)
    return bytes(data)


def entry_outside(good):
    """e_entry = the start of the writable segment (or 0x7fff0000 without one): in no executable segment."""
    data = _copy(good)
    writable = [ph for ph in loads(data) if ph.flags & PF_W and not ph.flags & PF_X]
    set_header(data, "entry", writable[0].vaddr if writable else ENTRY_NOWHERE)
    return bytes(data)


def truncated_phdrs(good):
    """The file ends one byte before its program header table does."""
    data = _copy(good)
    h = header(data)
    return bytes(data[:h["phoff"] + h["phnum"] * PHDR_SIZE - 1])


def truncated_segment(good):
    """The file ends one byte before the file bytes of the PT_LOAD that ends last."""
    data = _copy(good)
    with_bytes = [ph for ph in loads(data) if ph.filesz > 0]
    if not with_bytes:
        raise CannotBreak("no PT_LOAD segment has file bytes")
    last = max(with_bytes, key=lambda ph: ph.offset + ph.filesz)
    return bytes(data[:last.offset + last.filesz - 1])


def phoff_overflow(good):
    """e_phoff = 2^64 - 56: e_phoff + the table's size wraps around to a small number."""
    return with_header(good, "phoff", U64 - PHDR_SIZE)


def machine_aarch64(good):
    """e_machine = EM_AARCH64 (183): a 64-bit little-endian program for another processor."""
    return with_header(good, "machine", EM_AARCH64)


def misaligned(good):
    """The last PT_LOAD's p_offset moves 8 bytes back: it and p_vaddr differ within a page."""
    data = _copy(good)
    last = loads(data)[-1]
    if last.offset < 8:
        raise CannotBreak("the last PT_LOAD starts at file offset %d" % last.offset)
    last.set(data, "offset", last.offset - 8)
    return bytes(data)


def needed(good):
    """The DT_DEBUG entry (else the first other tag the loader ignores) becomes DT_NEEDED."""
    data = _copy(good)
    used = (DT_RELA, DT_RELASZ, DT_RELAENT)
    spare = sorted((tag != DT_DEBUG, at) for at, tag, _ in dynamic_entries(data) if tag not in used)
    if not spare:
        raise CannotBreak("the program has no dynamic entry to turn into DT_NEEDED")
    put(data, spare[0][1], "<Q", DT_NEEDED)
    return bytes(data)


def bad_relocation(good):
    """The first R_X86_64_RELATIVE relocation becomes R_X86_64_64 (1)."""
    data = _copy(good)
    for at, _, info, _ in relocations(data):
        if info & 0xffffffff == R_X86_64_RELATIVE:
            put(data, at + 8, "<Q", (info & ~0xffffffff) | R_X86_64_64)
            return bytes(data)
    raise CannotBreak("the program has no R_X86_64_RELATIVE relocation "
                      "(make this kind from one that has some, like relocs)")


def writable_executable(good):
    """The executable PT_LOAD gets PF_W too: writable and executable."""
    data = _copy(good)
    executable = [ph for ph in loads(data) if ph.flags & PF_X]
    if not executable:
        raise CannotBreak("the program has no executable PT_LOAD segment")
    executable[0].set(data, "flags", executable[0].flags | PF_W)
    return bytes(data)


def too_large(good):
    """The last PT_LOAD's p_memsz = 64 GiB (p_filesz unchanged): a huge BSS."""
    data = _copy(good)
    loads(data)[-1].set(data, "memsz", TOO_LARGE)
    return bytes(data)


def interp(good):
    """The last header that is neither PT_LOAD nor PT_DYNAMIC becomes PT_INTERP."""
    data = _copy(good)
    others = [ph for ph in program_headers(data) if ph.type not in (PT_LOAD, PT_DYNAMIC)]
    if not others:
        raise CannotBreak("the program has no header to turn into PT_INTERP "
                          "(only PT_LOAD and PT_DYNAMIC)")
    others[-1].set(data, "type", PT_INTERP)
    return bytes(data)


def _first_relocation_and_last_load(data):
    """(the first relocation, the last PT_LOAD) of data, for the kinds that move the one past the other."""
    found = relocations(data)
    if not found:
        raise CannotBreak("the program has no relocation "
                          "(make this kind from one that has some, like relocs)")
    return found[0], loads(data)[-1]


def relocation_straddles_end(good):
    """The first relocation's r_offset = the last PT_LOAD's end - 4: its 8 bytes cross that end."""
    data = _copy(good)
    first, last = _first_relocation_and_last_load(data)
    put(data, first[0], "<Q", last.vaddr + last.memsz - 4)
    return bytes(data)


def relocation_outside(good):
    """The first relocation's r_offset = a page past the last PT_LOAD's end: outside the program."""
    data = _copy(good)
    first, last = _first_relocation_and_last_load(data)
    end_page = (last.vaddr + last.memsz + PAGE - 1) // PAGE * PAGE
    put(data, first[0], "<Q", end_page + PAGE)
    return bytes(data)


def rela_outside(good):
    """DT_RELASZ grows, in whole entries, until the relocation table runs past the file's end."""
    data = _copy(good)
    if not relocations(data):
        raise CannotBreak("the program has no relocation table "
                          "(make this kind from one that has some, like relocs)")
    at = [at for at, tag, _ in dynamic_entries(data) if tag == DT_RELASZ][0]
    put(data, at + 8, "<Q", (len(data) // RELA_SIZE + 1) * RELA_SIZE)
    return bytes(data)


def dynamic_outside(good):
    """The PT_DYNAMIC header's p_offset = the file's size: the dynamic section lies past the end."""
    data = _copy(good)
    dynamic = [ph for ph in program_headers(data) if ph.type == PT_DYNAMIC]
    if not dynamic:
        raise CannotBreak("the program has no PT_DYNAMIC header")
    dynamic[0].set(data, "offset", len(data))
    return bytes(data)


MAX_SEGMENTS = 8   # ELF_MAX_SEGMENTS in the kernel's elf.h: the PT_LOADs it keeps


def too_many_segments(good):
    """MAX_SEGMENTS + 1 PT_LOADs: extra one-page, file-less, read-only ones after the last (table moved to the end)."""
    data = _copy(good)
    headers = program_headers(data)
    segments = loads(data)
    extra = MAX_SEGMENTS + 1 - len(segments)
    if extra <= 0:
        raise CannotBreak("the program has %d PT_LOAD segments already" % len(segments))
    table = bytes(data[headers[0].at:headers[-1].at + PHDR_SIZE])
    last = segments[-1]
    next_page = (last.vaddr + last.memsz + PAGE - 1) // PAGE * PAGE
    for i in range(extra):
        table += phdr_bytes(PT_LOAD, PF_R, 0, next_page + i * PAGE, 0, PAGE, PAGE)
    data += b"\0" * (-len(data) % 8)
    set_header(data, "phoff", len(data))
    set_header(data, "phnum", len(headers) + extra)
    return bytes(data + table)


def no_load(good):
    """Every PT_LOAD becomes PT_NULL: nothing to load."""
    data = _copy(good)
    for ph in loads(data):
        ph.set(data, "type", PT_NULL)
    return bytes(data)


KINDS = {
    "truncated_header": truncated_header,
    "empty": empty,
    "bad_magic": bad_magic,
    "bad_class": bad_class,
    "bad_data": bad_data,
    "bad_machine": bad_machine,
    "bad_type": bad_type,
    "wrong_phentsize": wrong_phentsize,
    "phdrs_outside": phdrs_outside,
    "phnum_overflow": phnum_overflow,
    "filesz_above_memsz": filesz_above_memsz,
    "offset_overflow": offset_overflow,
    "size_overflow": size_overflow,
    "segment_outside_file": segment_outside_file,
    "overlapping_segments": overlapping_segments,
    "entry_outside": entry_outside,
    "bad_relocation": bad_relocation,
    "writable_executable": writable_executable,
    "too_large": too_large,
    "interp": interp,
    "no_load": no_load,
    "relocation_straddles_end": relocation_straddles_end,
    "dynamic_outside": dynamic_outside,
    "too_many_segments": too_many_segments,
    "truncated_phdrs": truncated_phdrs,
    "truncated_segment": truncated_segment,
    "phoff_overflow": phoff_overflow,
    "machine_aarch64": machine_aarch64,
    "misaligned": misaligned,
    "needed": needed,
    "relocation_outside": relocation_outside,
    "rela_outside": rela_outside,
}


# --- A good program to break, built here ------------------------------------------
# For tests that need one without a compiler: what labs/04-usermode/user
# builds, in miniature (page size 0x1000):
#
#   file 0x0000 / vaddr 0x0000  LOAD R    ELF header, program headers, .rela.dyn at 0x200
#   file 0x1000 / vaddr 0x1000  LOAD R E  0x1100 bytes of text (over a page), entry at 0x1010
#   file 0x3040 / vaddr 0x4040  LOAD RW   .dynamic (0x60), then data with two pointers;
#                                         memsz 0x2000 (the rest is BSS)
#                               DYNAMIC   the .dynamic above: DT_RELA, DT_RELASZ, DT_RELAENT
#                               GNU_STACK
#   file 0x3140..0x3180         0x40 bytes standing in for the section headers
#
# Its two relocations are R_X86_64_RELATIVE: the data's pointers to the
# entry point and to the first pointer.

MINIMAL_ENTRY = 0x1010
MINIMAL_TEXT = (0x1000, 0x1000, 0x1100)          # offset, vaddr, size
MINIMAL_DATA = (0x3040, 0x4040, 0x100, 0x2000)   # offset, vaddr, filesz, memsz
MINIMAL_RELA_AT = 0x200
MINIMAL_HEADERS_SIZE = 0x230                     # the first LOAD: headers and relocations
MINIMAL_PIE_SIZE = 0x3180


def minimal_pie():
    """The bytes of the small good static PIE laid out above."""
    data = bytearray(MINIMAL_PIE_SIZE)
    text, dyn = MINIMAL_TEXT, MINIMAL_DATA
    headers = [
        phdr_bytes(PT_LOAD, PF_R, 0, 0, MINIMAL_HEADERS_SIZE, MINIMAL_HEADERS_SIZE, PAGE),
        phdr_bytes(PT_LOAD, PF_R | PF_X, text[0], text[1], text[2], text[2], PAGE),
        phdr_bytes(PT_LOAD, PF_R | PF_W, dyn[0], dyn[1], dyn[2], dyn[3], PAGE),
        phdr_bytes(PT_DYNAMIC, PF_R | PF_W, dyn[0], dyn[1], 0x60, 0x60, 8),
        phdr_bytes(PT_GNU_STACK, PF_R | PF_W, 0, 0, 0, 0, 16),
    ]
    ident = b"\x7fELF" + bytes([2, 1, 1]) + bytes(9)
    struct.pack_into("<16sHHIQQQIHHHHHH", data, 0, ident, ET_DYN, EM_X86_64, 1, MINIMAL_ENTRY,
                     EHDR_SIZE, MINIMAL_PIE_SIZE - 0x40, 0, EHDR_SIZE, PHDR_SIZE, len(headers),
                     64, 1, 0)
    data[EHDR_SIZE:EHDR_SIZE + PHDR_SIZE * len(headers)] = b"".join(headers)
    first, second = dyn[1] + 0x60, dyn[1] + 0x68
    struct.pack_into("<QQq", data, MINIMAL_RELA_AT, first, R_X86_64_RELATIVE, MINIMAL_ENTRY)
    struct.pack_into("<QQq", data, MINIMAL_RELA_AT + RELA_SIZE, second, R_X86_64_RELATIVE, first)
    # Text: `xor edi, edi; mov eax, 0; syscall` at the entry, int3 elsewhere.
    data[text[0]:text[0] + text[2]] = b"\xcc" * text[2]
    code = b"\x31\xff\xb8\x00\x00\x00\x00\x0f\x05"
    at = text[0] + MINIMAL_ENTRY - text[1]
    data[at:at + len(code)] = code
    dynamic = [(DT_RELA, MINIMAL_RELA_AT), (DT_RELASZ, 2 * RELA_SIZE), (DT_RELAENT, RELA_SIZE),
               (DT_FLAGS_1, DF_1_PIE), (DT_NULL, 0), (DT_NULL, 0)]
    for index, (tag, value) in enumerate(dynamic):
        struct.pack_into("<QQ", data, dyn[0] + DYN_SIZE * index, tag, value)
    return bytes(data)


# Kinds the grader's boots leave to the lab 04 host test (its seeds, made by
# labs/04-usermode/host/elf.mk): the boots use every other kind
# (grading/tests/test_lab04_spec.py holds the spec to that).
HOST_ONLY = {"truncated_phdrs", "truncated_segment", "phoff_overflow", "machine_aarch64",
             "misaligned", "needed", "relocation_outside", "rela_outside"}


def make(kind, good):
    """KINDS[kind](good), with a CannotBreak naming the kinds for an unknown one."""
    if kind not in KINDS:
        raise CannotBreak("no kind of bad ELF file called '%s' (kinds: %s)"
                          % (kind, ", ".join(sorted(KINDS))))
    return KINDS[kind](good)


def module_name(kind):
    """The usual module name of a kind: `bad-magic` for bad_magic, `bad-interp` for interp."""
    name = kind.replace("_", "-")
    return name if name.startswith("bad-") else "bad-" + name


# The program a kind is made from, in the grader's spec and on the command
# line, when it is not hello: hello has no relocation to break.
SOURCES = {"bad_relocation": "relocs", "relocation_straddles_end": "relocs",
           "relocation_outside": "relocs", "rela_outside": "relocs"}


def main(argv=None):
    """Write broken programs into a directory, one file per kind."""
    parser = argparse.ArgumentParser(
        description="Write malformed ELF programs made from a lab's good ones.",
        epilog="Then: make qemu LAB=4 MODULES=DIR/bad-magic CMDLINE=run=bad-magic,hello")
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--lab", help="make them from this lab's build/user/ programs "
                       "(hello; relocs for bad_relocation)")
    where.add_argument("--from", dest="source", metavar="FILE",
                       help="make them all from this one good program")
    parser.add_argument("directory", help="where to write them")
    parser.add_argument("kinds", nargs="*", metavar="KIND",
                        help="the kinds to write (default: all): %s" % ", ".join(KINDS))
    args = parser.parse_args(argv)
    for kind in args.kinds:
        if kind not in KINDS:
            parser.error("no kind of bad ELF file called '%s' (kinds: %s)"
                         % (kind, ", ".join(KINDS)))
    os.makedirs(args.directory, exist_ok=True)
    failed = 0
    for kind in args.kinds or list(KINDS):
        source = args.source or _lab_program(parser, args.lab, SOURCES.get(kind, "hello"))
        try:
            with open(source, "rb") as handle:
                data = make(kind, handle.read())
        except (OSError, CannotBreak) as error:
            print("%s: cannot make it from %s: %s" % (kind, source, error), file=sys.stderr)
            failed += 1
            continue
        path = os.path.join(args.directory, module_name(kind))
        with open(path, "wb") as handle:
            handle.write(data)
        print(path)
    return 1 if failed else 0


def _lab_program(parser, lab, program):
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    sys.path.insert(0, os.path.join(root, "tools"))
    import labs
    try:
        return os.path.join(labs.resolve(root, lab)[1], "build", "user", program)
    except labs.LabError as error:
        parser.error(str(error))


if __name__ == "__main__":
    sys.exit(main())
