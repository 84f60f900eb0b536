"""Tests of what lets boots share work and go fast: boots through the
grader's loader (qemu.py), program-only boots sharing one run
and each part scored on its stretch of the log, a failing part booted alone
(grade.py). No QEMU: logs are written here, boots are faked."""

import os
import shutil
import tempfile
import unittest

import helpers
import grade
import qemu
import spec

score = helpers.score


def lab_spec(lab, boots, tests):
    return spec.from_data({"boots": boots, "tests": tests}, "/specs/%s.json" % lab)


def line_test(name, boot, *lines):
    return {"name": name, "points": 1, "boot": boot, "line": list(lines)}


class DirectBoots(unittest.TestCase):
    """Boots go through the grader's loader unless a spec asks for GRUB."""

    def test_the_loader_command_line(self):
        argv = qemu.qemu_command(None, "/b/t.log", "128M",
                                 direct=("/g/mbload.elf", "run=a,b", "/t/m0 kernel.elf,/t/m1 a"))
        self.assertEqual(argv[argv.index("-kernel") + 1], "/g/mbload.elf")
        self.assertEqual(argv[argv.index("-append") + 1], "run=a,b")
        self.assertEqual(argv[argv.index("-initrd") + 1], "/t/m0 kernel.elf,/t/m1 a")
        self.assertNotIn("-cdrom", argv)
        self.assertNotIn("ahci,id=ahci", argv)

    def test_the_programs_are_the_user_directories_but_lib(self):
        base = tempfile.mkdtemp()
        try:
            for name in ("lib", "hello", "args"):
                os.makedirs(os.path.join(base, "user", name))
            with open(os.path.join(base, "user", "README.md"), "w") as handle:
                handle.write("not a program\n")
            self.assertEqual(qemu.lab_programs(base), ["args", "hello"])
        finally:
            shutil.rmtree(base)

    def test_a_grub_boot_is_never_merged(self):
        boots = {"a": {"cmdline": "test=x"}, "b": {"cmdline": "test=y"},
                 "g": {"cmdline": "test=z", "loader": "grub"}}
        tests = [{"name": n, "points": 1, "boot": n, "ktap_suite": "x"} for n in boots]
        requests, which = grade.plan_boots([lab_spec("01-boot", boots, tests)], "/i", "/l", 1.0)
        self.assertEqual(len(requests), 2)
        grub = [r for r in requests if r.loader == "grub"]
        self.assertEqual([r.cmdline for r in grub], ["test=z"])
        self.assertEqual(which[("01-boot", "g")], grub[0].name)

    def test_an_unknown_loader_is_refused(self):
        with self.assertRaises(spec.SpecError) as caught:
            lab_spec("01-boot", {"a": {"cmdline": "test", "loader": "lilo"}},
                     [{"name": "t", "points": 1, "boot": "a", "ktap_suite": "x"}])
        self.assertIn("'loader' must be one of", str(caught.exception))


class QemuCommand(unittest.TestCase):

    def test_the_grader_boots_the_cd_over_ahci_and_the_benchmarks_over_ide(self):
        argv = qemu.qemu_command("/b,x/t.iso", "/b/t.log", "1G")
        self.assertIn("file=/b,,x/t.iso,media=cdrom,if=none,id=cd,readonly=on", argv)
        self.assertIn("ahci,id=ahci", argv)
        self.assertNotIn("-cdrom", argv)
        argv = qemu.qemu_command("/b/t.iso", "/b/t.log", "1G", ["-icount", "shift=0"], ahci=False)
        self.assertEqual(argv[argv.index("-cdrom") + 1], "/b/t.iso")
        self.assertEqual(argv[-2:], ["-icount", "shift=0"])
        self.assertNotIn("ahci,id=ahci", argv)

    def test_no_default_devices(self):
        # Nothing the kernel uses is a default device; SeaBIOS setting
        # them up was a third of a short boot.
        for argv in (qemu.qemu_command("/b/t.iso", "/b/t.log", "1G"),
                     qemu.qemu_command(None, "/b/t.log", "128M", typing=True,
                                       direct=("/g/mbload.elf", "test", "/t/m0 kernel.elf"))):
            self.assertIn("-nodefaults", argv)
            self.assertIn("isa-debug-exit,iobase=0xf4,iosize=0x04", argv)


class SharedProgramRuns(unittest.TestCase):
    """Program-only boots of one memory size share a run when they can."""

    def plan(self, *specs, room=40):
        return grade.plan_boots(list(specs), "/iso", "/logs", 1.0, room)

    def test_program_boots_share_one_run_in_order(self):
        lab = lab_spec("04-usermode", {
            "good": {"cmdline": "run=hello,mapper", "timeout": 20},
            "killed": {"cmdline": "run=kread,hello", "timeout": 20, "expect_exit": 35},
            "bad": {"cmdline": "run=bad-magic,hello", "modules": [
                {"name": "bad-magic", "make": "bad_magic"}]}},
            [line_test("g", "good", "^proc \\d+ mapper: exit 0$"),
             line_test("k", "killed", "^proc \\d+ kread: killed"),
             line_test("b", "bad", "^proc - bad-magic: rejected")])
        requests, which = self.plan(lab)
        self.assertEqual([r.name for r in requests], ["programs"])
        shared = requests[0]
        self.assertEqual(shared.cmdline, "run=hello,mapper,kread,hello,bad-magic,hello")
        self.assertEqual([p.name for p in shared.parts], ["good", "killed", "bad"])
        self.assertEqual(shared.modules, [("bad-magic", "bad_magic", "hello")])
        self.assertEqual(shared.timeout, 40.0)      # twice the longest part, not the sum
        self.assertEqual(which[("04-usermode", "killed")], "programs")

    def test_a_shared_run_waits_at_most_twice_its_longest_part(self):
        lab = lab_spec("03-buddy", {
            "a": {"cmdline": "test=a", "memory": "1G"},
            "b": {"cmdline": "test=b", "memory": "1G", "timeout": 20},
            "c": {"cmdline": "test=c", "memory": "1G", "timeout": 20}},
            [{"name": n, "points": 1, "boot": n, "ktap_all": True} for n in "abc"])
        requests, _ = grade.plan_boots([lab], "/iso", "/logs", 2.0)
        self.assertEqual([(r.cmdline, r.timeout) for r in requests], [("test=a,b,c", 80.0)])

    def test_what_does_not_share(self):
        lab = lab_spec("04-usermode", {
            "exitcode": {"cmdline": "run=exit-2p32,hello"},
            "first": {"cmdline": "run=hello"},
            "quiet": {"cmdline": "run=hello"},  # same boot as first: one request
            "smp": {"cmdline": "run=hello,relocs", "qemu_args": ["-smp", "2"]},
            "big": {"cmdline": "run=relocs", "memory": "1G"},
            "mixed": {"cmdline": "run=relocs test=elf"},
            "alone": {"cmdline": "run=mapper"}},
            [{"name": "e", "points": 1, "boot": "exitcode", "line": "x", "exit": 35},
             line_test("f", "first", "^hello"),
             {"name": "q", "points": 1, "boot": "quiet", "no_line": "^panic"},
             line_test("s", "smp", "x"), line_test("b", "big", "x"),
             line_test("m", "mixed", "x"), line_test("a", "alone", "x")])
        requests, _ = self.plan(lab)
        # exitcode checks an exit status, quiet (run with first) a line that
        # must not appear: both belong to a whole boot. smp has QEMU options,
        # mixed does more than run programs. big is alone at its memory size.
        self.assertEqual(sorted(r.name for r in requests),
                         ["alone", "big", "exitcode", "first", "mixed", "smp"])

    def test_long_lists_and_many_modules_are_cut_into_several_runs(self):
        boots, tests = {}, []
        for index in range(6):
            programs = ["long-program-name-%d-%d" % (index, n) for n in range(10)]
            boots["b%d" % index] = {"cmdline": "run=" + ",".join(programs)}
            tests.append(line_test("t%d" % index, "b%d" % index, "x"))
        requests, _ = self.plan(lab_spec("04-usermode", boots, tests))
        self.assertTrue(all(len(r.cmdline) <= grade.RUN_MERGE_CMDLINE for r in requests))
        self.assertEqual(sum(len(r.parts) for r in requests), 6)
        self.assertGreater(len(requests), 1)

        boots = {"m%d" % i: {"cmdline": "run=bad-%d" % i, "modules": [
            {"name": "bad-%d" % i, "make": "bad_magic"}]} for i in range(3)}
        tests = [line_test("t%d" % i, "m%d" % i, "x") for i in range(3)]
        requests, _ = self.plan(lab_spec("04-usermode", boots, tests), room=2)
        self.assertEqual([len(getattr(r, "parts", [r])) for r in requests], [2, 1])
        requests, _ = self.plan(lab_spec("04-usermode", boots, tests), room=0)
        self.assertEqual(len(requests), 3)     # no room: nothing with modules shares

    def test_one_module_name_made_two_ways_does_not_share(self):
        boots = {"a": {"cmdline": "run=bad", "modules": [{"name": "bad", "make": "bad_magic"}]},
                 "b": {"cmdline": "run=bad", "modules": [{"name": "bad", "make": "empty"}]}}
        tests = [line_test("ta", "a", "x"), line_test("tb", "b", "x")]
        requests, _ = self.plan(lab_spec("04-usermode", boots, tests))
        self.assertEqual(sorted(r.name for r in requests), ["a", "b"])

    def test_module_room_counts_the_labs_programs(self):
        root = tempfile.mkdtemp()
        try:
            os.makedirs(os.path.join(root, "kernel"))
            for name in ("hello", "relocs", "lib"):
                os.makedirs(os.path.join(root, "user", name))
            self.assertEqual(grade.module_room(root), 0)    # the kernel does not say
            with open(os.path.join(root, "kernel", "multiboot2.h"), "w") as handle:
                handle.write("#define MB2_MAX_MODULES   64\n")
            self.assertEqual(grade.module_room(root), 62)   # user/lib is not a program
        finally:
            shutil.rmtree(root)


SHARED_LOG = """baton 04-usermode: booting
mem: 130559 KiB usable
hello, world
proc 1 hello: exit 0
proc 2 mapper: exit 0
proc 3 kread: killed: page fault at 0xffffffff80100000 (read, not present, user)
hello, world
proc 4 hello: exit 0
proc - bad-magic: rejected: not an ELF file (bad magic)
hello, world
proc 5 hello: exit 0
run: done, free frames 100 -> 100, regions 0 -> 0
"""


class Slices(unittest.TestCase):
    """Each part of a shared run sees its own programs' lines and the end."""

    def parts(self):
        lab = lab_spec("04-usermode", {
            "good": {"cmdline": "run=hello,mapper"},
            "killed": {"cmdline": "run=kread,hello"},
            "bad": {"cmdline": "run=bad-magic,hello",
                    "modules": [{"name": "bad-magic", "make": "bad_magic"}]}},
            [line_test("g", "good", "x"), line_test("k", "killed", "x"),
             line_test("b", "bad", "x")])
        requests, _ = grade.plan_boots([lab], "/iso", "/logs", 1.0, 40)
        return requests[0].parts

    def test_each_part_sees_its_stretch_and_the_closing_line(self):
        outcome = score.BootOutcome(SHARED_LOG, 35, 2.0, log_path="logs/programs.log")
        slices = grade.slice_runs(outcome, self.parts())
        good = slices["good"].log_text.splitlines()
        self.assertEqual(good[0], "baton 04-usermode: booting")
        self.assertEqual(good[-2:], ["proc 2 mapper: exit 0",
                                     "run: done, free frames 100 -> 100, regions 0 -> 0"])
        killed = slices["killed"].log_text.splitlines()
        self.assertEqual(killed[0], "proc 3 kread: killed: page fault at 0xffffffff80100000 "
                                    "(read, not present, user)")
        self.assertNotIn("proc 1 hello: exit 0", killed)     # not another part's hello
        self.assertEqual(killed[-2], "proc 4 hello: exit 0")
        bad = slices["bad"].log_text.splitlines()
        self.assertEqual(bad[0], "proc - bad-magic: rejected: not an ELF file (bad magic)")
        self.assertEqual(slices["bad"].exit_status, 35)
        self.assertEqual(slices["bad"].log_path, "logs/programs.log")

    def test_a_log_that_cannot_be_cut_gives_none(self):
        parts = self.parts()
        missing = SHARED_LOG.replace("proc 5 hello: exit 0\n", "")
        self.assertIsNone(grade.slice_runs(score.BootOutcome(missing, 35, 1.0), parts))
        child = SHARED_LOG.replace("proc 2 mapper", "proc 9 hello: exit 0\nproc 2 mapper")
        self.assertIsNone(grade.slice_runs(score.BootOutcome(child, 35, 1.0), parts))


class BootingPartsAlone(unittest.TestCase):
    """A part with a failing test in the shared run is booted alone."""

    def setUp(self):
        self.lab = lab_spec("04-usermode", {
            "good": {"cmdline": "run=hello,mapper"},
            "killed": {"cmdline": "run=kread,hello"}},
            [line_test("mapper", "good", "^proc \\d+ mapper: exit 0$"),
             line_test("kread", "killed", "^proc \\d+ kread: killed: page fault",
                       "^run: done, free frames (\\d+) -> \\1,")])
        self.requests, self.which = grade.plan_boots([self.lab], "/iso", "/logs", 1.0, 40)
        self.booted = []

    def rerun(self, text, exit_status=35, alone="proc 1 kread: killed: page fault\n"
              "run: done, free frames 7 -> 7,\n"):
        outcomes = {"programs": score.BootOutcome(text, exit_status, 1.0)}

        def fake_boot_all(path, parts, jobs, scale, isos=None):
            self.booted.extend(p.name for p in parts)
            return {p.name: score.BootOutcome(alone, 35, 1.0) for p in parts}

        options = type("Options", (), {"jobs": 1, "scale": 1.0})()
        real, grade.qemu.boot_all = grade.qemu.boot_all, fake_boot_all
        try:
            served = grade.rerun_merges("/lab", self.requests, outcomes, self.which, options,
                                        [self.lab], "04-usermode")
        finally:
            grade.qemu.boot_all = real
        return served, outcomes

    def test_a_clean_passing_run_serves_every_part(self):
        served, outcomes = self.rerun("proc 1 hello: exit 0\nproc 2 mapper: exit 0\n"
                                      "proc 3 kread: killed: page fault\nproc 4 hello: exit 0\n"
                                      "run: done, free frames 5 -> 5, regions 0 -> 0\n")
        self.assertEqual(self.booted, [])
        self.assertEqual(served[("04-usermode", "killed")].name, "killed")
        self.assertIn("proc 3 kread", outcomes["killed"].log_text)
        self.assertNotIn("mapper", outcomes["killed"].log_text)

    def test_a_part_failing_in_the_shared_run_is_booted_alone(self):
        # A leak: the closing line fails killed's test, so killed boots
        # alone; good's test does not read that line and keeps its verdict.
        served, outcomes = self.rerun("proc 1 hello: exit 0\nproc 2 mapper: exit 0\n"
                                      "proc 3 kread: killed: page fault\nproc 4 hello: exit 0\n"
                                      "run: done, free frames 5 -> 4, regions 0 -> 0\n")
        self.assertEqual(self.booted, ["killed"])
        self.assertEqual(outcomes["killed"].log_text.splitlines()[-1],
                         "run: done, free frames 7 -> 7,")

    def test_a_shared_run_that_could_not_start_boots_every_part(self):
        outcomes = {"programs": score.BootOutcome(error="could not make the boot's modules: x")}
        self.booted = []
        options = type("Options", (), {"jobs": 1, "scale": 1.0})()

        def fake_boot_all(path, parts, jobs, scale, isos=None):
            self.booted.extend(p.name for p in parts)
            return {p.name: score.BootOutcome("x\n", 35, 1.0) for p in parts}

        real, grade.qemu.boot_all = grade.qemu.boot_all, fake_boot_all
        try:
            grade.rerun_merges("/lab", self.requests, outcomes, self.which, options,
                               [self.lab], "04-usermode")
            self.assertEqual(self.booted, ["good", "killed"])
            self.booted = []
            outcomes = {"programs": score.BootOutcome(error="build failed")}
            grade.rerun_merges("/lab", self.requests, outcomes, self.which, options,
                               [self.lab], "04-usermode")
            self.assertEqual(self.booted, [])      # nothing to boot without a kernel
        finally:
            grade.qemu.boot_all = real

    def test_a_hung_or_panicked_shared_run_boots_every_part(self):
        self.rerun("proc 1 hello: exit 0\nproc 2 mapper: exit 0\n", exit_status=None)
        self.assertEqual(self.booted, ["good", "killed"])
        self.booted = []
        self.rerun("proc 1 hello: exit 0\npanic: oops\n")
        self.assertEqual(self.booted, ["good", "killed"])


if __name__ == "__main__":
    unittest.main()
