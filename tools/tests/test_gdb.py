"""The GDB helpers, against a real kernel stopped in QEMU.

Boots the newest lab with QEMU waiting for GDB, runs
GDB in batch mode with tools/gdb/baton.py, stops inside the kernel after
its set-up and checks what each helper command prints: that `make gdb`
stops at kmain with source lines, and that baton-pt, baton-mem and
baton-frames read the kernel's real state.
"""

import os
import re
import socket
import subprocess
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tools"))
import labs  # noqa: E402


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class GdbHelpers(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        names = [name for name, _ in labs.list_labs(ROOT)]
        cls.lab = dict(labs.list_labs(ROOT))[names[-1]]     # the newest lab
        build = subprocess.run(["make", "-s", "-C", cls.lab], stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
        assert build.returncode == 0, build.stdout

    def run_gdb(self, *commands, stop_at="cmdline_run_actions", iso=None):
        port = free_port()
        qemu = subprocess.Popen(
            ["qemu-system-x86_64", "-machine", "pc", "-cpu", "qemu64", "-m", "128M",
             "-display", "none", "-monitor", "none", "-serial", "null", "-no-reboot",
             "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
             "-cdrom", iso or os.path.join(self.lab, "build", "baton.iso"),
             "-S", "-gdb", "tcp:127.0.0.1:%d" % port],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            argv = ["gdb", "-q", "-batch", "-nx", os.path.join(self.lab, "build", "kernel.elf"),
                    "-x", os.path.join(ROOT, "tools", "gdb", "baton.py"),
                    "-ex", "target remote 127.0.0.1:%d" % port,
                    "-ex", "hbreak %s" % stop_at, "-ex", "continue"]
            for command in commands:
                argv += ["-ex", command]
            done = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                  text=True, timeout=60, cwd=self.lab)
            return done.stdout
        finally:
            qemu.kill()
            qemu.wait()

    def test_stops_at_kmain_with_source(self):
        out = self.run_gdb("bt 1", stop_at="kmain")
        self.assertRegex(out, r"Breakpoint 1, kmain \(.*\) at kernel/main\.c:\d+")
        self.assertRegex(out, r"\n\d+\s+serial_init\(\);")

    def test_page_walk_of_a_kernel_variable(self):
        out = self.run_gdb("baton-pt &bootinfo", "baton-pt kmain", "baton-pt 0")
        self.assertIn("PML4[511]", out)
        self.assertRegex(out, r"PT  \[\s*\d+\] = 0x8[0-9a-f]+  present, writable.*no-exec")
        self.assertRegex(out, r"-> physical 0x[0-9a-f]+ \(a 4 KiB page\)")
        # kmain is in the text: present, not writable, executable.
        text_pt = re.findall(r"PT  \[\s*\d+\] = (0x[0-9a-f]+)  (.*)", out)[1]
        self.assertNotIn("writable", text_pt[1])
        self.assertNotIn("no-exec", text_pt[1])
        self.assertIn("not mapped: the walk stops at the PML4", out)

    def test_memory_map_and_frames(self):
        out = self.run_gdb("baton-mem", "baton-frames")
        self.assertIn("loader:  GRUB", out)
        self.assertRegex(out, r"0x000000100000 - 0x[0-9a-f]+\s+\d+ KiB  available")
        match = re.search(r"usable:  (\d+) KiB", out)
        self.assertTrue(match, out)
        self.assertGreater(int(match.group(1)), 120 * 1024)
        self.assertRegex(out, r"free frames: \d+ \(\d+ KiB\)")
        if "records" in out:                    # lab 03 on: the buddy's lists
            self.assertRegex(out, r"order +\d+ \( *\d+ KiB blocks\): \d+ free")

    def test_user_program_symbols(self):
        if not os.path.isdir(os.path.join(self.lab, "user")):
            self.skipTest("no user programs before lab 04")
        iso = os.path.join(self.lab, "build", "gdb-test.iso")
        made = subprocess.run(["make", "-s", "-C", self.lab, "iso", "CMDLINE=run=hello",
                               "ISO=" + iso], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True)
        self.assertEqual(made.returncode, 0, made.stdout)
        try:
            out = self.run_gdb("baton-user", "info symbol $rcx", stop_at="syscall_dispatch",
                               iso=iso)
        finally:
            os.remove(iso)
        match = re.search(r"symbols of hello \(pid 1\) loaded at (0x[0-9a-f]+)", out)
        self.assertTrue(match, out)
        # rcx holds the program's return address: GDB now names its function,
        # in hello's own text (which one depends on the lab's first system call).
        self.assertRegex(out, r"\n(sys_call|libc_start|write|printf|main|exit)( \+ \d+)?"
                              r" in section \.text of \S+/user/hello\n")

    def test_bad_argument_is_an_error_not_a_crash(self):
        out = self.run_gdb("baton-pt", "baton-pt no_such_symbol", "echo still-alive\\n")
        self.assertIn("usage: baton-pt ADDR", out)
        self.assertIn("still-alive", out)


if __name__ == "__main__":
    unittest.main()
