"""Tests of specs/04-usermode.json on logs recorded from labs/04-usermode.

The lab 04 spec matches the kernel's `proc` lines by regex. These tests
keep those regexes honest: the real kernel's logs pass, other sensible
wordings of a rejection pass too, and a wrong reason, a program that runs
when it should be refused, or a lost frame fails exactly the tests it should.
"""

import os
import re
import unittest

import badelf
import helpers
import score
import spec

SPEC_04 = os.path.join(helpers.GRADING, "specs", "04-usermode.json")
# Recorded with the grader (`grade.py --lab 4`) from labs/04-usermode.
LOGS = {"good": ("lab04_good.log", 33), "killed": ("lab04_killed.log", 35),
        "badelf-headers": ("lab04_badelf_headers.log", 35),
        "badelf-segments": ("lab04_badelf_segments.log", 35),
        "badelf-program": ("lab04_badelf_program.log", 35),
        "hostile": ("lab04_hostile.log", 35), "exitcode": ("lab04_exitcode.log", 35)}
LAB04 = os.path.join(helpers.ROOT, "labs", "04-usermode")
# After a run= list: free frames and regions in use, before -> after, equal.
RUN_DONE = r"^run: done, free frames (\d+) -> \1, regions (\d+) -> \2(,|$)"
USER = os.path.join(LAB04, "user")


def module_limit():
    """MB2_MAX_MODULES of lab 04's kernel: the modules it keeps, its programs included."""
    try:
        with open(os.path.join(LAB04, "kernel", "multiboot2.h")) as handle:
            found = re.search(r"#define MB2_MAX_MODULES\s+(\d+)", handle.read())
    except OSError:
        found = None
    return int(found.group(1)) if found else 32


def program_count():
    """How many programs lab 04 puts on its ISO (17 when this was written)."""
    if not os.path.isdir(USER):
        return 17
    return len([name for name in os.listdir(USER)
                if name != "lib" and os.path.isdir(os.path.join(USER, name))])


def load():
    return spec.load(SPEC_04, "04-usermode")


def results(the_spec, boot, text, status):
    outcome = score.BootOutcome(text, status, 1.0, log_path="build/grade/%s.log" % boot)
    log = score.BootLog(outcome, the_spec.boots[boot])
    return {test.name: score.score_test(test, log, "04-usermode")
            for test in the_spec.tests if test.boot == boot}


def fixture_text(boot):
    return helpers.fixture_bytes(LOGS[boot][0]).decode()


class Shape(unittest.TestCase):

    def setUp(self):
        self.spec = load()

    def test_100_points(self):
        self.assertEqual(sum(test.points for test in self.spec.tests), 100)
        given = [test.name for test in self.spec.tests if test.given]
        self.assertEqual(given, ["an unknown program is rejected by name"])

    def test_every_kind_is_booted_and_checked(self):
        kinds = []
        for name, boot in self.spec.boots.items():
            if not boot.modules:
                continue
            self.assertLessEqual(len(boot.modules) + program_count(), module_limit(), name)
            run = boot.cmdline.split("=", 1)[1].split(",")
            self.assertEqual(run, [module[0] for module in boot.modules] + ["hello"], name)
            patterns = [p for test in self.spec.tests if test.boot == name
                        for p in test.checks["line"]]
            for module_name, kind, _ in boot.modules:
                self.assertEqual(module_name, badelf.module_name(kind))
                self.assertTrue(any(module_name + ": rejected: " in p for p in patterns),
                                "no test checks %s's rejection" % module_name)
                kinds.append(kind)
            self.assertIn(r"^proc \d+ hello: exit 0$", patterns)
            self.assertIn(RUN_DONE, patterns)
        self.assertEqual(sorted(kinds), sorted(set(badelf.KINDS) - badelf.HOST_ONLY))

    def test_run_boots_have_20_seconds(self):
        for name, boot in self.spec.boots.items():
            if boot.cmdline.startswith("run="):
                self.assertEqual(boot.timeout, 20, name)


class RecordedLogs(unittest.TestCase):

    def setUp(self):
        self.spec = load()

    def test_the_lab_passes(self):
        for boot, (_, status) in LOGS.items():
            found = results(self.spec, boot, fixture_text(boot), status)
            self.assertTrue(found, boot)
            self.assertEqual(helpers.failed_names(found), [], boot)

    def test_other_wordings_of_a_rejection_pass(self):
        wordings = {
            "bad-magic": "bad ELF magic number",
            "bad-class": "ELFCLASS32 files are not supported",
            "bad-data": "big-endian file",
            "bad-machine": "wrong architecture: EM_386",
            "bad-type": "ET_EXEC: not a PIE",
            "bad-truncated-header": "file too short for an ELF header",
            "bad-empty": "empty file",
            "bad-wrong-phentsize": "e_phentsize 32 != 56",
        }
        text = fixture_text("badelf-headers")
        for name, reason in wordings.items():
            text = re.sub(r"(?m)^proc - %s: rejected: .*$" % name,
                          "proc - %s: rejected: %s" % (name, reason), text)
        found = results(self.spec, "badelf-headers", text, 35)
        self.assertEqual(helpers.failed_names(found), [])

    def test_a_wrong_reason_fails_its_test(self):
        text = fixture_text("badelf-program").replace(
            "unsupported relocation R_X86_64_64 (type 1)", "out of memory")
        found = results(self.spec, "badelf-program", text, 35)
        failed = helpers.failed_names(found)
        self.assertEqual(len(failed), 1)
        self.assertIn("bad-relocation: rejected: .*relocation",
                      helpers.detail(found[failed[0]], "expected"))
        self.assertIn("proc - bad-relocation: rejected: out of memory",
                      helpers.detail(found[failed[0]], "seen"))

    def test_a_bad_program_that_runs_fails(self):
        text = re.sub(r"(?m)^proc - bad-too-large: rejected: .*$",
                      "proc 1 bad-too-large: killed: page fault at 0x1000 "
                      "(read, not present, user)", fixture_text("badelf-segments"))
        found = results(self.spec, "badelf-segments", text, 35)
        self.assertEqual(len(helpers.failed_names(found)), 1)

    def test_a_lost_frame_fails_every_killed_program(self):
        text = re.sub(r"(?m)^run: done, free frames (\d+) -> \1,",
                      r"run: done, free frames \1 -> 12,", fixture_text("killed"))
        found = results(self.spec, "killed", text, 35)
        self.assertEqual(len(helpers.failed_names(found)), 9)
        self.assertEqual(helpers.failed_names(found), sorted(found))

    def test_a_lost_region_fails_every_killed_program(self):
        text = re.sub(r"(?m)^(run: done, .*), regions (\d+) -> \2$",
                      r"\1, regions \2 -> 1", fixture_text("killed"))
        found = results(self.spec, "killed", text, 35)
        self.assertEqual(helpers.failed_names(found), sorted(found))

    def test_a_32_bit_exit_code_fails(self):
        text = fixture_text("exitcode").replace("exit-2p32: exit 4294967296", "exit-2p32: exit 0")
        found = results(self.spec, "exitcode", text, 33)
        self.assertEqual(len(helpers.failed_names(found)), 1)

    def test_a_kernel_that_leaks_nt_fails_the_flag_tests(self):
        text = fixture_text("hostile")
        cut = text[:text.index("proc 5 flags-df-fault")] + "panic: #GP general protection at rip 0x1\n"
        found = results(self.spec, "hostile", cut, 35)
        self.assertIn("flags: DF, AC or NT set before a system call and exit do not reach the kernel",
                      helpers.failed_names(found))

    def test_a_dead_kernel_fails_every_killed_program(self):
        text = fixture_text("killed")
        cut = text[:text.index("proc 5 execheap")] + "panic: page fault in the kernel\n"
        found = results(self.spec, "killed", cut, 35)
        self.assertEqual(sorted(helpers.failed_names(found)), sorted(found))
        kread = found["kread: killed for reading kernel memory"]
        self.assertEqual(helpers.detail(kread, "reason"), "panic: page fault in the kernel")


if __name__ == "__main__":
    unittest.main()
