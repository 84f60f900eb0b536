"""Tests of memlayout.py: memory sizes and the usable-memory arithmetic."""

import unittest

import helpers  # noqa: F401  (puts grading/ on the path)
import memlayout

MIB = 1024
GIB = 1024 * MIB


class Sizes(unittest.TestCase):

    def test_qemu_sizes(self):
        self.assertEqual(memlayout.parse_size("128M"), 128 * MIB)
        self.assertEqual(memlayout.parse_size("1G"), GIB)
        self.assertEqual(memlayout.parse_size("4g"), 4 * GIB)
        self.assertEqual(memlayout.parse_size("512"), 512 * MIB)  # QEMU's unit is MiB
        self.assertEqual(memlayout.parse_size("65536K"), 64 * MIB)

    def test_bad_sizes(self):
        for text in ("", "lots", "1.5G", "-1G", "1M"):
            with self.assertRaises(ValueError, msg=text):
                memlayout.parse_size(text)


class Usable(unittest.TestCase):
    """639 KiB below 1 MiB + (low RAM - 1 MiB) + high RAM."""

    def test_128m(self):
        self.assertEqual(memlayout.usable_kib(128 * MIB), 639 + 127 * MIB)

    def test_1g(self):
        self.assertEqual(memlayout.usable_kib(GIB), 1048191)

    def test_just_under_the_split(self):
        ram = 3 * GIB + 511 * MIB
        self.assertEqual(memlayout.split_ram(ram), (ram, 0))

    def test_split_at_3_5g(self):
        ram = 3 * GIB + 512 * MIB
        self.assertEqual(memlayout.split_ram(ram), (3 * GIB, 512 * MIB))
        self.assertEqual(memlayout.usable_kib(ram), 639 + 3 * GIB - MIB + 512 * MIB)

    def test_4g(self):
        self.assertEqual(memlayout.split_ram(4 * GIB), (3 * GIB, GIB))
        self.assertEqual(memlayout.usable_kib(4 * GIB), 4193919)

    def test_tolerance(self):
        expected = memlayout.usable_kib(128 * MIB)   # 130687
        self.assertTrue(memlayout.within(130559, expected, 1))   # SeaBIOS keeps 128 KiB
        self.assertFalse(memlayout.within(expected - 1400, expected, 1))
        self.assertTrue(memlayout.within(expected, expected, 0))
        low, high = memlayout.bounds(expected, 1)
        self.assertTrue(memlayout.within(low, expected, 1) and memlayout.within(high, expected, 1))
        self.assertFalse(memlayout.within(low - 1, expected, 1))
        self.assertFalse(memlayout.within(high + 1, expected, 1))


if __name__ == "__main__":
    unittest.main()
