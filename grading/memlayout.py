"""How much memory a QEMU guest should report as usable.

Owns: reading QEMU memory sizes ("128M", "1G") and predicting the usable
total the kernel prints on its `mem: <N> KiB usable` line. Relies on nothing
else in grading/.

The kernel adds up the "available" regions of the Multiboot2 memory map,
which GRUB copies from the firmware's E820 map. On QEMU's `pc` machine with
SeaBIOS that map has:

  - 639 KiB at address 0 (the last KiB of conventional memory is the EBDA,
    and 640 KiB .. 1 MiB is the VGA hole and the ROMs);
  - RAM from 1 MiB up to the end of "low" RAM, below the PCI hole;
  - RAM above 4 GiB for the rest ("high" RAM), if any.

QEMU keeps all RAM low while it is under 3.5 GiB; from 3.5 GiB on it puts
3 GiB low and the rest above 4 GiB. The firmware also reserves a few hundred
KiB at the top of low RAM for ACPI tables and itself; the tolerance of the
`mem_kib` check absorbs that, so it is not modelled here.
"""

import re

KIB_PER_UNIT = {"": 1024, "K": 1, "M": 1024, "G": 1024 ** 2, "T": 1024 ** 3}
SIZE_RE = re.compile(r"^\s*(\d+)\s*([KMGT]?)(?:i?B)?\s*$", re.IGNORECASE)

MIB = 1024           # in KiB
GIB = 1024 * MIB
BELOW_1MIB_USABLE = 639
LOW_RAM_LIMIT = 3 * GIB + 512 * MIB   # at or above this, QEMU splits RAM
LOW_RAM_WHEN_SPLIT = 3 * GIB


def parse_size(text):
    """KiB in a QEMU -m size ("128M", "1G", "512" meaning MiB); ValueError if bad."""
    match = SIZE_RE.match(str(text))
    if not match:
        raise ValueError("not a memory size: %r (use e.g. \"128M\" or \"1G\")" % (text,))
    kib = int(match.group(1)) * KIB_PER_UNIT[match.group(2).upper()]
    if kib < 2 * MIB:
        raise ValueError("memory size %r is too small to boot" % (text,))
    return kib


def split_ram(ram_kib):
    """(low, high) KiB: RAM below the PCI hole, and RAM above 4 GiB."""
    low = LOW_RAM_WHEN_SPLIT if ram_kib >= LOW_RAM_LIMIT else ram_kib
    return low, ram_kib - low


def usable_kib(ram_kib):
    """The usable KiB SeaBIOS reports for a `pc` guest with ram_kib of RAM."""
    low, high = split_ram(ram_kib)
    return BELOW_1MIB_USABLE + (low - MIB) + high


def within(value, expected, tolerance_pct):
    """True if value is within tolerance_pct percent of expected."""
    return abs(value - expected) <= expected * tolerance_pct / 100.0


def bounds(expected, tolerance_pct):
    """(lowest, highest) values within tolerance, rounded inwards for display."""
    slack = expected * tolerance_pct / 100.0
    return int(-(-(expected - slack) // 1)), int((expected + slack) // 1)
