"""Tests of badelf.py: each kind breaks its one field, and nothing else.

Every kind runs on two good programs: a small static PIE built with struct
(badelf.minimal_pie()), so the tests always run, and the lab's
real build/user/hello (and relocs, which has relocations), built with
`make -s -C labs/04-usermode` first. The checks read the files with their
own struct code, not badelf's, and compare the broken file with the good
one byte for byte: only the bytes of the field named may differ.
"""

import os
import struct
import subprocess
import unittest

import helpers
import badelf

LAB04 = os.path.join(helpers.ROOT, "labs", "04-usermode")
U64 = 1 << 64
PT_NULL, PT_LOAD, PT_DYNAMIC, PT_INTERP = 0, 1, 2, 3
DT_NEEDED, DT_RELASZ = 1, 8
PF_X, PF_W = 1, 2
# The kinds the lab asks for, at least.
REQUIRED = ["truncated_header", "bad_magic", "bad_class", "bad_machine", "bad_type",
            "phdrs_outside", "phnum_overflow", "filesz_above_memsz", "offset_overflow",
            "size_overflow", "segment_outside_file", "overlapping_segments", "entry_outside",
            "bad_relocation", "writable_executable", "too_large", "interp", "no_load",
            "empty", "wrong_phentsize", "bad_data"]


# --- Reading ELF files, independently of badelf ---------------------------------

def ehdr(data):
    """The ELF header's fields by name."""
    fields = struct.unpack_from("<16sHHIQQQIHHHHHH", data, 0)
    names = ("ident", "type", "machine", "version", "entry", "phoff", "shoff", "flags",
             "ehsize", "phentsize", "phnum", "shentsize", "shnum", "shstrndx")
    return dict(zip(names, fields))


PHDR_FIELDS = ("type", "flags", "offset", "vaddr", "paddr", "filesz", "memsz", "align")
# Where each program header field starts, and its size.
PHDR_AT = {"type": (0, 4), "flags": (4, 4), "offset": (8, 8), "vaddr": (16, 8),
           "paddr": (24, 8), "filesz": (32, 8), "memsz": (40, 8), "align": (48, 8)}


def phdrs(data, phoff=None, phnum=None):
    """Every program header as a dict (with `at`, its file offset)."""
    header = ehdr(data)
    phoff = header["phoff"] if phoff is None else phoff
    phnum = header["phnum"] if phnum is None else phnum
    found = []
    for index in range(phnum):
        at = phoff + 56 * index
        entry = dict(zip(PHDR_FIELDS, struct.unpack_from("<IIQQQQQQ", data, at)))
        entry["at"] = at
        found.append(entry)
    return found


def loads(data, **where):
    return [ph for ph in phdrs(data, **where) if ph["type"] == PT_LOAD]


def field(ph, name):
    """The byte range [start, end) of one field of a program header."""
    offset, size = PHDR_AT[name]
    return (ph["at"] + offset, ph["at"] + offset + size)


def rela_entries(data):
    """[(file offset, r_offset, r_info, r_addend)] from PT_DYNAMIC's DT_RELA."""
    dynamic = [ph for ph in phdrs(data) if ph["type"] == PT_DYNAMIC][0]
    tags = {}
    for at in range(dynamic["offset"], dynamic["offset"] + dynamic["filesz"], 16):
        tag, value = struct.unpack_from("<QQ", data, at)
        if tag == 0:
            break
        tags[tag] = value
    if 7 not in tags:
        return []
    for ph in loads(data):
        if ph["vaddr"] <= tags[7] < ph["vaddr"] + ph["filesz"]:
            start = ph["offset"] + tags[7] - ph["vaddr"]
    return [(at,) + struct.unpack_from("<QQq", data, at)
            for at in range(start, start + tags[8], 24)]


def in_segment(address, ph):
    return ph["vaddr"] <= address < ph["vaddr"] + ph["memsz"]


# --- The checks, on any good program ------------------------------------------------

class KindChecks:
    """Mixed into a TestCase whose `good` (and `with_relocations`) are set up."""

    good = None
    with_relocations = None

    def changed(self, good, bad):
        """The offsets where bad differs from good (same length required)."""
        self.assertEqual(len(bad), len(good), "the broken file must keep the good one's size")
        return [i for i in range(len(good)) if good[i] != bad[i]]

    def assert_only(self, good, bad, *ranges):
        """bad differs from good, and only inside the given byte ranges."""
        differ = self.changed(good, bad)
        self.assertTrue(differ, "nothing was changed")
        outside = [i for i in differ if not any(start <= i < end for start, end in ranges)]
        self.assertEqual(outside, [], "bytes changed outside %s" % (ranges,))

    def broken(self, kind, good=None):
        good = self.good if good is None else good
        bad = badelf.KINDS[kind](good)
        self.assertIsInstance(bad, bytes)
        return good, bad

    def test_the_good_program_is_good(self):
        header = ehdr(self.good)
        self.assertEqual(header["ident"][:6], b"\x7fELF\x02\x01")
        self.assertEqual((header["type"], header["machine"], header["phentsize"]), (3, 62, 56))
        self.assertGreaterEqual(len(loads(self.good)), 3)
        badelf.check_good(self.good)   # no exception

    def test_truncated_header(self):
        good, bad = self.broken("truncated_header")
        self.assertEqual(bad, good[:40])

    def test_empty(self):
        self.assertEqual(self.broken("empty")[1], b"")

    def test_bad_magic(self):
        good, bad = self.broken("bad_magic")
        self.assertNotEqual(bad[:4], b"\x7fELF")
        self.assert_only(good, bad, (0, 4))

    def test_bad_class(self):
        good, bad = self.broken("bad_class")
        self.assertEqual(bad[4], 1)                       # ELFCLASS32
        self.assert_only(good, bad, (4, 5))

    def test_bad_data(self):
        good, bad = self.broken("bad_data")
        self.assertEqual(bad[5], 2)                       # ELFDATA2MSB
        self.assert_only(good, bad, (5, 6))

    def test_bad_machine(self):
        good, bad = self.broken("bad_machine")
        self.assertEqual(ehdr(bad)["machine"], 3)         # EM_386
        self.assert_only(good, bad, (18, 20))

    def test_bad_type(self):
        good, bad = self.broken("bad_type")
        self.assertEqual(ehdr(bad)["type"], 2)            # ET_EXEC
        self.assert_only(good, bad, (16, 18))

    def test_wrong_phentsize(self):
        good, bad = self.broken("wrong_phentsize")
        self.assertEqual(ehdr(bad)["phentsize"], 32)
        self.assert_only(good, bad, (54, 56))

    def test_phdrs_outside(self):
        good, bad = self.broken("phdrs_outside")
        self.assertGreaterEqual(ehdr(bad)["phoff"], len(bad))
        self.assert_only(good, bad, (32, 40))

    def test_phnum_overflow(self):
        good, bad = self.broken("phnum_overflow")
        header = ehdr(bad)
        self.assertEqual(header["phnum"], 0xffff)
        self.assertGreater(header["phoff"] + header["phnum"] * header["phentsize"], len(bad))
        self.assert_only(good, bad, (56, 58))

    def test_filesz_above_memsz(self):
        good, bad = self.broken("filesz_above_memsz")
        wrong = [ph for ph in loads(bad) if ph["filesz"] > ph["memsz"]]
        self.assertEqual(len(wrong), 1)
        self.assert_only(good, bad, field(wrong[0], "filesz"), field(wrong[0], "memsz"))

    def test_offset_overflow(self):
        good, bad = self.broken("offset_overflow")
        wrong = [ph for ph in loads(bad) if ph["offset"] == 0xfffffffffffff000]
        self.assertEqual(len(wrong), 1)
        # The largest segment: p_offset + p_filesz wraps around to a small number.
        self.assertGreaterEqual(wrong[0]["offset"] + wrong[0]["filesz"], U64)
        self.assertLess((wrong[0]["offset"] + wrong[0]["filesz"]) % U64, len(bad))
        self.assert_only(good, bad, field(wrong[0], "offset"))

    def test_size_overflow(self):
        good, bad = self.broken("size_overflow")
        wrong = [ph for ph in loads(bad) if ph["vaddr"] + ph["memsz"] >= U64]
        self.assertEqual(len(wrong), 1)
        self.assertLessEqual((wrong[0]["vaddr"] + wrong[0]["memsz"]) % U64, 0x1000)
        self.assertLessEqual(wrong[0]["filesz"], wrong[0]["memsz"])
        self.assert_only(good, bad, field(wrong[0], "memsz"))

    def test_segment_outside_file(self):
        good, bad = self.broken("segment_outside_file")
        wrong = [ph for ph in loads(bad) if ph["offset"] + ph["filesz"] > len(bad)]
        self.assertEqual(len(wrong), 1)
        ph = wrong[0]
        self.assertLess(ph["offset"] + ph["filesz"], U64)      # no overflow
        self.assertGreater(ph["filesz"], 0)
        self.assertLessEqual(ph["filesz"], ph["memsz"])
        self.assertEqual(ph["offset"] % 0x1000, ph["vaddr"] % 0x1000)
        self.assert_only(good, bad, field(ph, "offset"))

    def test_overlapping_segments(self):
        good, bad = self.broken("overlapping_segments")
        first, second = loads(bad)[:2]
        first_end_page = (first["vaddr"] + first["memsz"] + 0xfff) // 0x1000
        self.assertLess(second["vaddr"] // 0x1000, first_end_page)    # they share a page
        self.assertNotEqual(second["vaddr"], loads(good)[1]["vaddr"])
        # The entry point still lies in an executable segment: only the overlap is wrong.
        entry = ehdr(bad)["entry"]
        self.assertTrue(any(in_segment(entry, ph) for ph in loads(bad) if ph["flags"] & PF_X))
        self.assert_only(good, bad, field(second, "vaddr"), (24, 32))

    def test_entry_outside(self):
        good, bad = self.broken("entry_outside")
        entry = ehdr(bad)["entry"]
        self.assertNotEqual(entry, ehdr(good)["entry"])
        self.assertFalse(any(in_segment(entry, ph) for ph in loads(bad) if ph["flags"] & PF_X))
        self.assert_only(good, bad, (24, 32))

    def test_bad_relocation(self):
        good, bad = self.broken("bad_relocation", self.with_relocations)
        before, after = rela_entries(good), rela_entries(bad)
        self.assertEqual(len(before), len(after))
        first = [i for i, entry in enumerate(before) if entry[2] & 0xffffffff == 8][0]
        self.assertEqual(after[first][2] & 0xffffffff, 1)             # R_X86_64_64
        self.assertEqual(after[first][2] >> 32, before[first][2] >> 32)
        at = before[first][0]
        self.assert_only(good, bad, (at + 8, at + 16))

    def test_bad_relocation_needs_relocations(self):
        without = bytearray(self.with_relocations)
        for at, _, info, _ in rela_entries(self.with_relocations):
            struct.pack_into("<Q", without, at + 8, 0)       # R_X86_64_NONE
        with self.assertRaises(badelf.CannotBreak) as caught:
            badelf.bad_relocation(bytes(without))
        self.assertIn("no R_X86_64_RELATIVE", str(caught.exception))

    def test_writable_executable(self):
        good, bad = self.broken("writable_executable")
        both = [ph for ph in loads(bad) if ph["flags"] & PF_W and ph["flags"] & PF_X]
        self.assertEqual(len(both), 1)
        self.assert_only(good, bad, field(both[0], "flags"))

    def test_too_large(self):
        good, bad = self.broken("too_large")
        huge = [ph for ph in loads(bad) if ph["memsz"] == 64 << 30]
        self.assertEqual(len(huge), 1)
        self.assertEqual(huge[0]["filesz"], loads(good)[loads(bad).index(huge[0])]["filesz"])
        self.assert_only(good, bad, field(huge[0], "memsz"))

    def test_interp(self):
        good, bad = self.broken("interp")
        interp = [ph for ph in phdrs(bad) if ph["type"] == PT_INTERP]
        self.assertEqual(len(interp), 1)
        was = [ph for ph in phdrs(good) if ph["at"] == interp[0]["at"]][0]
        self.assertNotIn(was["type"], (PT_LOAD, PT_DYNAMIC, PT_INTERP))
        self.assertEqual(len(loads(bad)), len(loads(good)))
        self.assert_only(good, bad, field(interp[0], "type"))

    def test_no_load(self):
        good, bad = self.broken("no_load")
        self.assertEqual(loads(bad), [])
        was_load = loads(good)
        for ph in was_load:
            self.assertEqual(phdrs(bad)[(ph["at"] - ehdr(good)["phoff"]) // 56]["type"], PT_NULL)
        self.assert_only(good, bad, *[field(ph, "type") for ph in was_load])

    def test_truncated_phdrs(self):
        good, bad = self.broken("truncated_phdrs")
        header = ehdr(good)
        self.assertEqual(bad, good[:header["phoff"] + 56 * header["phnum"] - 1])

    def test_truncated_segment(self):
        good, bad = self.broken("truncated_segment")
        self.assertEqual(bad, good[:max(ph["offset"] + ph["filesz"] for ph in loads(good)) - 1])

    def test_phoff_overflow(self):
        good, bad = self.broken("phoff_overflow")
        header = ehdr(bad)
        self.assertEqual(header["phoff"], U64 - 56)
        self.assertLess((header["phoff"] + 56 * header["phnum"]) % U64, len(bad))   # it wraps
        self.assert_only(good, bad, (32, 40))

    def test_machine_aarch64(self):
        good, bad = self.broken("machine_aarch64")
        self.assertEqual(ehdr(bad)["machine"], 183)
        self.assert_only(good, bad, (18, 20))

    def test_misaligned(self):
        good, bad = self.broken("misaligned")
        wrong = [ph for ph in loads(bad) if ph["offset"] % 0x1000 != ph["vaddr"] % 0x1000]
        self.assertEqual(len(wrong), 1)
        self.assertLessEqual(wrong[0]["offset"] + wrong[0]["filesz"], len(bad))
        self.assert_only(good, bad, field(wrong[0], "offset"))

    def test_needed(self):
        good, bad = self.broken("needed")
        dynamic = [ph for ph in phdrs(bad) if ph["type"] == PT_DYNAMIC][0]
        tags = [struct.unpack_from("<Q", bad, at)[0]
                for at in range(dynamic["offset"], dynamic["offset"] + dynamic["filesz"], 16)]
        self.assertEqual(tags.count(DT_NEEDED), 1)
        at = dynamic["offset"] + 16 * tags.index(DT_NEEDED)
        self.assert_only(good, bad, (at, at + 8))
        self.assertEqual(rela_entries(bad), rela_entries(good))   # the relocations stay

    def test_relocation_outside(self):
        good, bad = self.broken("relocation_outside", self.with_relocations)
        before, after = rela_entries(good), rela_entries(bad)
        self.assertFalse(any(in_segment(after[0][1], ph) for ph in loads(bad)))
        self.assertEqual(after[1:], before[1:])
        self.assert_only(good, bad, (before[0][0], before[0][0] + 8))

    def test_rela_outside(self):
        good, bad = self.broken("rela_outside", self.with_relocations)
        dynamic = [ph for ph in phdrs(bad) if ph["type"] == PT_DYNAMIC][0]
        for at in range(dynamic["offset"], dynamic["offset"] + dynamic["filesz"], 16):
            tag, value = struct.unpack_from("<QQ", bad, at)
            if tag == DT_RELASZ:
                break
        self.assertEqual(value % 24, 0)
        start = rela_entries(good)[0][0]
        self.assertGreater(start + value, len(bad))
        self.assert_only(good, bad, (at + 8, at + 16))

    def test_every_kind_makes_a_different_file(self):
        made = {}
        for kind in badelf.KINDS:
            source = self.with_relocations if kind in badelf.SOURCES else self.good
            bad = badelf.make(kind, source)
            self.assertNotEqual(bad, source, kind)
            self.assertNotIn(bad, made.values(), "%s makes the same file as another kind" % kind)
            made[kind] = bad


class Synthetic(KindChecks, unittest.TestCase):
    """On the small PIE built here: always runs."""

    good = badelf.minimal_pie()
    with_relocations = good

    def test_synthetic_layout(self):
        self.assertEqual(len(self.good), badelf.MINIMAL_PIE_SIZE)
        self.assertEqual(len(rela_entries(self.good)), 2)


class RealProgram(KindChecks, unittest.TestCase):
    """On labs/04-usermode's build/user/hello (and relocs for bad_relocation)."""

    @classmethod
    def setUpClass(cls):
        if not os.path.isdir(LAB04):
            raise unittest.SkipTest("labs/04-usermode does not exist")
        try:
            done = subprocess.run(["make", "-s", "-C", LAB04], stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, universal_newlines=True, timeout=600)
            cls.build_output = done.stdout
        except (OSError, subprocess.TimeoutExpired) as error:
            cls.build_output = str(error)
        cls.good = cls.read("hello")
        cls.with_relocations = cls.read("relocs")

    @classmethod
    def read(cls, program):
        try:
            with open(os.path.join(LAB04, "build", "user", program), "rb") as handle:
                return handle.read()
        except OSError:
            return None

    def setUp(self):
        for program, data in (("hello", self.good), ("relocs", self.with_relocations)):
            if data is None:
                self.fail("make -s -C labs/04-usermode did not build build/user/%s:\n%s"
                          % (program, self.build_output[-2000:]))


class Table(unittest.TestCase):

    def test_every_required_kind_is_there(self):
        self.assertGreaterEqual(len(badelf.KINDS), 15)
        for kind in REQUIRED:
            self.assertIn(kind, badelf.KINDS)

    def test_each_kind_is_documented_in_one_line(self):
        for kind, function in badelf.KINDS.items():
            doc = function.__doc__ or ""
            self.assertTrue(doc.strip(), kind)
            self.assertNotIn("\n", doc.strip(), kind)

    def test_module_names(self):
        self.assertEqual(badelf.module_name("bad_magic"), "bad-magic")
        self.assertEqual(badelf.module_name("interp"), "bad-interp")
        self.assertEqual(badelf.module_name("segment_outside_file"), "bad-segment-outside-file")

    def test_unknown_kind(self):
        with self.assertRaises(badelf.CannotBreak) as caught:
            badelf.make("bad_vibes", badelf.minimal_pie())
        self.assertIn("no kind of bad ELF file called 'bad_vibes'", str(caught.exception))
        self.assertIn("bad_magic", str(caught.exception))

    def test_a_bad_program_cannot_be_broken_further(self):
        broken = badelf.bad_machine(badelf.minimal_pie())
        with self.assertRaises(badelf.CannotBreak) as caught:
            badelf.too_large(broken)
        self.assertIn("not x86-64", str(caught.exception))
        with self.assertRaises(badelf.CannotBreak):
            badelf.bad_magic(b"#!/bin/sh\n")


if __name__ == "__main__":
    unittest.main()
