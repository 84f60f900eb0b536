"""GDB commands for debugging Baton: `source tools/gdb/baton.py` (make gdb
does it for you). Type `help baton` in GDB for the list.

  baton-pt ADDR       walk the page tables for a virtual address
  baton-mem           the kernel command line and the memory map it was given
  baton-frames        the frame allocator: free frames (and, from lab 03, the
                      buddy free lists)
  baton-user          (lab 04 on) load the running program's symbols at the
                      address it was loaded at, so `break main` works for it

The commands read kernel variables by name, and page tables through the
direct map (memlayout.h), so they work at any point after kmain starts. A
command whose lab has not been reached yet says so instead of failing.
"""

import os

import gdb

DIRECT_MAP = 0xFFFF800000000000
LEVELS = ("PML4", "PDPT", "PD", "PT")
FLAG_NAMES = ((0, "present"), (1, "writable"), (2, "user"), (5, "accessed"),
              (6, "dirty"), (7, "huge"), (8, "global"), (63, "no-exec"))


def read_u64(address):
    data = gdb.selected_inferior().read_memory(address, 8)
    return int.from_bytes(bytes(data), "little")


def symbol_value(expression):
    """A kernel variable, or None when this lab does not have it."""
    try:
        return gdb.parse_and_eval(expression)
    except gdb.error:
        return None


def describe_entry(entry):
    return ", ".join(name for bit, name in FLAG_NAMES if entry >> bit & 1) or "not present"


class BatonPrefix(gdb.Command):
    """Baton's GDB commands: baton-pt, baton-mem, baton-frames."""

    def __init__(self):
        super().__init__("baton", gdb.COMMAND_USER, prefix=True)


class PageWalk(gdb.Command):
    """baton-pt ADDR: walk the active page tables (CR3) for virtual address ADDR.

Prints each level's index and entry with its flags, and the physical
address ADDR maps to, or the level where the walk stops."""

    def __init__(self):
        super().__init__("baton-pt", gdb.COMMAND_USER)

    def invoke(self, argument, from_tty):
        if not argument.strip():
            raise gdb.GdbError("usage: baton-pt ADDR (an expression, e.g. baton-pt &bootinfo)")
        value = gdb.parse_and_eval(argument)
        if value.type.code == gdb.TYPE_CODE_FUNC:   # baton-pt kmain
            value = value.address
        va = int(value.cast(gdb.lookup_type("unsigned long"))) & 0xFFFFFFFFFFFFFFFF
        table = int(gdb.parse_and_eval("$cr3")) & 0x000FFFFFFFFFF000
        print("virtual %#x, CR3 %#x" % (va, table))
        for depth, name in enumerate(LEVELS):
            shift = 39 - 9 * depth
            index = (va >> shift) & 511
            entry = read_u64(DIRECT_MAP + table + 8 * index)
            print("  %-4s[%3d] = %#018x  %s" % (name, index, entry, describe_entry(entry)))
            if not entry & 1:
                print("  not mapped: the walk stops at the %s" % name)
                return
            if entry >> 7 & 1 and name in ("PDPT", "PD"):
                size = 1 << shift
                physical = (entry & 0x000FFFFFFFFFF000 & ~(size - 1)) + (va & (size - 1))
                print("  -> physical %#x (a %s page)" % (physical, "1 GiB" if name == "PDPT" else "2 MiB"))
                return
            table = entry & 0x000FFFFFFFFFF000
        print("  -> physical %#x (a 4 KiB page)" % (table + (va & 0xFFF)))


class MemoryMap(gdb.Command):
    """baton-mem: the command line, boot loader and memory map from bootinfo."""

    TYPES = {1: "available", 2: "reserved", 3: "ACPI reclaimable", 4: "ACPI NVS", 5: "bad"}

    def __init__(self):
        super().__init__("baton-mem", gdb.COMMAND_USER)

    def invoke(self, argument, from_tty):
        info = symbol_value("bootinfo")
        if info is None:
            raise gdb.GdbError("no 'bootinfo' in this kernel")
        print("loader:  %s" % info["loader"].string())
        print("cmdline: '%s'" % info["cmdline"].string())
        count = int(info["nregions"])
        if count == 0:
            print("no memory map yet (is kmain past read_boot_information?)")
        for i in range(count):
            region = info["regions"][i]
            base, length = int(region["base"]), int(region["length"])
            kind = self.TYPES.get(int(region["type"]), "type %d" % int(region["type"]))
            print("  %#014x - %#014x  %10d KiB  %s" % (base, base + length, length // 1024, kind))
        print("usable:  %d KiB" % (int(info["usable_bytes"]) // 1024))
        for i in range(int(info["nmodules"])):
            module = info["modules"][i]
            print("  module %-12s %#x - %#x" % (module["name"].string(), int(module["start"]),
                                                int(module["end"])))


class Frames(gdb.Command):
    """baton-frames: the frame allocator: free frames, and from lab 03 the
buddy free lists (free blocks per order) of the frame and region allocators."""

    def __init__(self):
        super().__init__("baton-frames", gdb.COMMAND_USER)

    def invoke(self, argument, from_tty):
        buddies = [(name, symbol_value(expression)) for name, expression in
                   (("frames", "'frame.c'::frames"), ("regions", "'vregion.c'::regions"))]
        buddies = [(name, value) for name, value in buddies if value is not None]
        if buddies:
            for name, buddy in buddies:
                self.print_buddy(name, buddy)
            return
        count = symbol_value("'frame.c'::free_count")
        if count is None:
            print("no frame allocator in this lab (it comes in lab 02)")
            return
        print("free frames: %d (%d KiB)" % (int(count), int(count) * 4))

    @staticmethod
    def print_buddy(name, buddy):
        unit = 1 << int(buddy["unit_shift"])
        free_units = int(buddy["free_units"])
        what = "free frames" if name == "frames" else "free pages of address space"
        print("%s: %s: %d (%d KiB), used %d, records %d of %d"
              % (name, what, free_units, free_units * unit // 1024, int(buddy["used_units"]),
                 int(buddy["records_in_use"]), int(buddy["capacity"])))
        for order in range(int(buddy["max_order"]) + 1):
            blocks = int(buddy["free_blocks"][order])
            if blocks:
                print("  order %2d (%9d KiB blocks): %d free" % (order, (unit << order) // 1024, blocks))


class UserSymbols(gdb.Command):
    """baton-user: load the running user program's symbols (lab 04 on).

Reads current_proc (its name and the base of its image region) and adds
build/user/<name> at that base. Stop somewhere with a program running
first, for example `hbreak syscall_dispatch` then `continue`."""

    def __init__(self):
        super().__init__("baton-user", gdb.COMMAND_USER)

    def invoke(self, argument, from_tty):
        proc = symbol_value("current_proc")
        if proc is None:
            raise gdb.GdbError("no user programs in this lab (they come in lab 04)")
        if int(proc) == 0:
            raise gdb.GdbError("no program is running now; stop inside one first "
                               "(hbreak syscall_dispatch, continue)")
        proc = proc.dereference()
        name = proc["name"].string()
        base = None
        for i in range(int(proc["nregions"])):
            region = proc["regions"][i]
            if str(region["kind"]) == "REGION_IMAGE":
                base = int(region["va"])
        if base is None:
            raise gdb.GdbError("program %s has no image region" % name)
        kernel = gdb.objfiles()[0].filename
        path = os.path.join(os.path.dirname(kernel), "user", name)
        if not os.path.exists(path):
            raise gdb.GdbError("no file %s: build the lab first" % path)
        gdb.execute("add-symbol-file %s -o %#x" % (path, base))
        print("symbols of %s (pid %d) loaded at %#x" % (name, int(proc["pid"]), base))


BatonPrefix()
UserSymbols()
PageWalk()
MemoryMap()
Frames()
print("Baton GDB commands loaded: baton-pt ADDR, baton-mem, baton-frames, baton-user "
      "(help baton-pt)")
