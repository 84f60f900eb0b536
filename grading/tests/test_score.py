"""Tests of score.py and checks.py on recorded serial logs, without QEMU.

Each fixture is what the ktest boot of lab 01 printed for one kind of
kernel: a good one, one with a bug in one suite, one that hangs, panics,
resets, prints garbage or nothing. The point: a broken kernel fails exactly
the tests it should, and each failure says why in a way a student can use.
"""

import unittest

import helpers
from helpers import detail, failed_names, outcome, score_boot

KTEST_TESTS = ["boot: first line", "ktest: framework self-test", "kprintf: formatting",
               "string: memory and string functions", "multiboot2: boot information",
               "exceptions: IDT and handlers", "timer: interrupts tick", "cmdline: parsing",
               "ktap: whole run well formed, all passed"]


class GoodKernel(unittest.TestCase):

    def test_everything_passes(self):
        results = score_boot("ktest", outcome("pass.log", 33))
        self.assertEqual(sorted(results), sorted(KTEST_TESTS))
        self.assertEqual(failed_names(results), [])
        self.assertEqual(results["kprintf: formatting"].score, 15)

    def test_other_boots_pass(self):
        for boot, name, status in [("mem128", "mem128.log", 33), ("mem1g", "mem1g.log", 33),
                                   ("panic", "panic_boot.log", 35),
                                   ("unknown", "unknown.log", 33)]:
            results = score_boot(boot, outcome(name, status, wall=0.8))
            self.assertEqual(failed_names(results), [], boot)

    def test_first_line_uses_the_snapshot(self):
        results = score_boot("ktest", outcome("pass.log", 33), snapshot="02-paging")
        self.assertEqual(failed_names(results), ["boot: first line"])
        result = results["boot: first line"]
        self.assertIn("^baton 02-paging: booting$", detail(result, "expected"))
        self.assertIn("baton 01-boot: booting", detail(result, "seen"))


class BrokenSuite(unittest.TestCase):
    """A bug in one subsystem fails exactly that subsystem's test."""

    def test_kprintf_hex_bug(self):
        results = score_boot("ktest", outcome("kprintf_hex_fails.log", 35))
        self.assertEqual(failed_names(results), ["kprintf: formatting",
                                                 "ktap: whole run well formed, all passed"])
        result = results["kprintf: formatting"]
        self.assertEqual(detail(result, "expected"), "KTAP suite 'kprintf' ok")
        seen = detail(result, "seen").splitlines()
        self.assertEqual(seen[0], "not ok 3 width_and_padding")
        self.assertIn("not ok 6 hex", seen)
        hex_at = seen.index("not ok 6 hex")
        self.assertIn('kprintf_test.c:35: buf_ == "ff": "255" != "ff"', seen[hex_at + 1])
        self.assertEqual(detail(result, "reason"), "")  # exit 35 is explained by the failure
        self.assertIn("kprintf_hex_fails.log", detail(result, "log"))

    def test_timer_bug(self):
        results = score_boot("ktest", outcome("timer_fails.log", 35))
        self.assertEqual(failed_names(results), ["ktap: whole run well formed, all passed",
                                                 "timer: interrupts tick"])
        seen = detail(results["timer: interrupts tick"], "seen")
        self.assertIn("not ok 2 only_timer_and_cascade_unmasked", seen)
        self.assertIn("timer_test.c:37: mask", seen)

    def test_shared_run_blames_only_the_failing_suite(self):
        # In a run merged with other boots' suites, "all passed, exit 33"
        # is asked of the boot's own suites only.
        the_spec = helpers.load_spec_01()
        test = [t for t in the_spec.tests if t.checks.get("ktap_all")][0]
        boot = the_spec.boots["ktest"]
        mine_pass = helpers.score.BootLog(outcome("timer_fails.log", 35), boot,
                                          suites=["kprintf", "string"])
        self.assertTrue(helpers.score.score_test(test, mine_pass, "01-boot").passed)
        mine_fail = helpers.score.BootLog(outcome("timer_fails.log", 35), boot,
                                          suites=["kprintf", "timer"])
        result = helpers.score.score_test(test, mine_fail, "01-boot")
        self.assertFalse(result.passed)
        self.assertIn("KTAP suite 'timer' ok", detail(result, "seen"))

    def test_case_check(self):
        the_spec = helpers.load_spec_01()
        test = the_spec.tests[2]
        test.checks = {"ktap_case": ["kprintf", "hex"]}
        log = helpers.score.BootLog(outcome("kprintf_hex_fails.log", 35), the_spec.boots["ktest"])
        self.assertFalse(helpers.score.score_test(test, log, "01-boot").passed)
        test.checks = {"ktap_case": ["kprintf", "decimal"]}
        self.assertTrue(helpers.score.score_test(test, log, "01-boot").passed)
        test.checks = {"ktap_case": ["kprintf", "octal"]}
        result = helpers.score.score_test(test, log, "01-boot")
        self.assertIn("no case 'octal' in suite 'kprintf'", detail(result, "seen"))


class BrokenBoots(unittest.TestCase):
    """Whole-boot problems: the reason a failing test gives."""

    def test_hang(self):
        results = score_boot("ktest", outcome("hang.log", timed_out=True, wall=10.0))
        self.assertEqual(failed_names(results), ["ktap: whole run well formed, all passed",
                                                 "ktest: framework self-test",
                                                 "multiboot2: boot information",
                                                 "string: memory and string functions",
                                                 "timer: interrupts tick"])
        ktest = results["ktest: framework self-test"]
        self.assertEqual(detail(ktest, "reason"), "hang: no power-off within 10s; last line: 1..6")
        self.assertIn("suite 'ktest' never finished", detail(ktest, "seen"))
        self.assertIn("1..6", detail(ktest, "seen"))
        # Suites that finished before the hang keep their points.
        self.assertTrue(results["kprintf: formatting"].passed)
        # "truncated KTAP" is implied by the hang, so it is not repeated.
        self.assertEqual(detail(ktest, "also"), "")
        # Where the kernel stopped is shown once per test: by the check, or else here.
        self.assertEqual(detail(ktest, "log end"), "")
        string = results["string: memory and string functions"]
        self.assertIn("# Subtest: ktest\n    1..6\n", detail(string, "log end"))
        self.assertIn("BATON_TIMEOUT_SCALE", detail(string, "log end"))

    def test_panic(self):
        results = score_boot("ktest", outcome("panic.log", 35))
        self.assertEqual(failed_names(results),
                         sorted(set(KTEST_TESTS) - {"boot: first line", "cmdline: parsing"}))
        exceptions = results["exceptions: IDT and handlers"]
        reason = detail(exceptions, "reason")
        self.assertEqual(reason, "panic: #BP breakpoint at rip 0xffffffff8010589a, error 0x0")
        self.assertIn("suite 'exceptions' never finished", detail(exceptions, "seen"))

    def test_truncated_ktap(self):
        results = score_boot("ktest", outcome("truncated.log", 33))
        self.assertEqual(failed_names(results), ["ktap: whole run well formed, all passed",
                                                 "string: memory and string functions",
                                                 "timer: interrupts tick"])
        reason = detail(results["timer: interrupts tick"], "reason")
        self.assertEqual(reason, "truncated KTAP: line 71: the test run: plan says 1..7 "
                                 "but only 5 results")
        self.assertIn("no suite 'timer'", detail(results["timer: interrupts tick"], "seen"))

    def test_garbage(self):
        results = score_boot("ktest", outcome("garbage.log", timed_out=True))
        self.assertEqual(failed_names(results), sorted(KTEST_TESTS))
        reason = detail(results["boot: first line"], "reason")
        self.assertTrue(reason.startswith("hang: no power-off within 10s; last line: \\x"),
                        reason)
        self.assertLessEqual(len(reason), len("hang: no power-off within 10s; last line: ") + 100)
        also = detail(results["boot: first line"], "also")
        self.assertTrue(also.startswith("garbage on the serial port at line 1: \\x"), also)

    def test_garbage_then_power_off(self):
        results = score_boot("ktest", outcome("garbage.log", 35))
        reason = detail(results["kprintf: formatting"], "reason")
        self.assertTrue(reason.startswith("garbage on the serial port at line 1"), reason)

    def test_empty_output(self):
        # Recorded from a kernel whose serial output goes nowhere: it ran its
        # tests and powered off with 0x10, but said nothing.
        results = score_boot("ktest", outcome("empty.log", 33))
        self.assertEqual(failed_names(results), sorted(KTEST_TESTS))
        for result in results.values():
            self.assertEqual(detail(result, "reason"),
                             "kernel printed nothing on the serial port")

    def test_empty_output_and_hang(self):
        results = score_boot("ktest", outcome("empty.log", timed_out=True))
        self.assertEqual(results["boot: first line"].reason, "kernel printed nothing on the "
                         "serial port (and did not power off within 10s)")
        self.assertIn("BATON_TIMEOUT_SCALE", detail(results["boot: first line"], "output"))

    def test_triple_fault(self):
        results = score_boot("ktest", outcome("triple_fault.log", 0, wall=0.6))
        self.assertEqual(failed_names(results),
                         sorted(set(KTEST_TESTS) - {"boot: first line", "cmdline: parsing"}))
        result = results["exceptions: IDT and handlers"]
        self.assertEqual(detail(result, "reason"), "triple fault or reboot (QEMU exited 0)")
        self.assertIn("suite 'exceptions' never finished", detail(result, "seen"))
        result = results["kprintf: formatting"]
        self.assertIn("no suite 'kprintf' in the KTAP output (suites seen: cmdline, exceptions)",
                      detail(result, "seen"))

    def test_build_failed(self):
        bad = helpers.score.BootOutcome(error="build failed",
                                        error_output=["kernel/main.c:3: error: oops"])
        results = score_boot("ktest", bad)
        self.assertEqual(failed_names(results), sorted(KTEST_TESTS))
        result = results["boot: first line"]
        self.assertEqual(result.reason, "build failed")
        self.assertIn("error: oops", detail(result, "output"))
        self.assertIsNone(result.wall)

    def test_qemu_error(self):
        broken = outcome("empty.log", 1, stderr="qemu-system-x86_64: -m 128Q: bad size\n")
        results = score_boot("ktest", broken)
        result = results["boot: first line"]
        self.assertEqual(result.reason, "QEMU error (exit status 1)")
        self.assertIn("bad size", detail(result, "output"))


class ExpectedPanic(unittest.TestCase):
    """The panic boot: a panic is the point, not a problem."""

    def test_panic_that_hangs(self):
        results = score_boot("panic", outcome("panic_boot.log", timed_out=True, wall=10.0))
        result = results["panic: reported, then power-off"]
        self.assertFalse(result.passed)
        self.assertEqual(detail(result, "reason"), "hang: no power-off within 10s; "
                         "last line: backtrace: 0xffffffff80102280 0xffffffff8010208b "
                         "0xffffffff80103935 0xffffffff80101015")
        self.assertIn("QEMU exit status 35", detail(result, "expected"))

    def test_slow_panic_passes(self):
        # No check measures wall-clock time: a loaded machine is not a bug.
        results = score_boot("panic", outcome("panic_boot.log", 35, wall=9.5))
        self.assertTrue(results["panic: reported, then power-off"].passed)

    def test_no_panic_line(self):
        results = score_boot("panic", outcome("mem128.log", 33))
        result = results["panic: reported, then power-off"]
        self.assertIn("QEMU exit status 33", detail(result, "reason"))
        self.assertIn("expected 35", detail(result, "reason"))
        self.assertIn("a line matching ^panic: ", detail(result, "expected"))


class Lines(unittest.TestCase):

    def test_closest_line_is_shown(self):
        text = helpers.fixture_bytes("unknown.log").replace(b"unknown key", b"unknown option")
        results = score_boot("unknown", helpers.score.BootOutcome(text, 33, 1.0, False, 10.0))
        result = results["cmdline: unknown keys are not fatal"]
        self.assertIn("the closest is:", detail(result, "seen"))
        self.assertIn("> line 4: cmdline: unknown option 'frobnicate'", detail(result, "seen"))

    def test_no_line_needs_a_finished_log(self):
        the_spec = helpers.load_spec_01()
        test = the_spec.tests[0]
        test.checks = {"no_line": "^warning:"}
        boot = the_spec.boots["ktest"]
        good = helpers.score.BootLog(outcome("pass.log", 33), boot)
        self.assertTrue(helpers.score.score_test(test, good, "01-boot").passed)
        hung = helpers.score.BootLog(outcome("hang.log", timed_out=True), boot)
        self.assertFalse(helpers.score.score_test(test, hung, "01-boot").passed)
        test.checks = {"no_line": "^boot: loader"}
        result = helpers.score.score_test(test, good, "01-boot")
        self.assertIn("> line 3: boot: loader 'GRUB", detail(result, "seen"))


class Memory(unittest.TestCase):

    def test_outside_tolerance(self):
        text = helpers.fixture_bytes("mem1g.log").replace(b"1048063", b"1030000")
        results = score_boot("mem1g", helpers.score.BootOutcome(text, 33, 1.0, False, 10.0))
        result = results["mem: usable memory with 1 GiB"]
        self.assertFalse(result.passed)
        self.assertIn("mem: 1048191 KiB usable (within 1%: 1037710..1058672) for 1G of RAM",
                      detail(result, "expected"))
        self.assertIn("line 2: mem: 1030000 KiB usable", detail(result, "seen"))

    def test_missing_line(self):
        text = b"baton 01-boot: booting\nmemory: lots\n"
        results = score_boot("mem128", helpers.score.BootOutcome(text, 33, 1.0, False, 10.0))
        result = results["mem: usable memory with 128 MiB"]
        self.assertIn("no 'mem: <N> KiB usable' line", detail(result, "seen"))
        self.assertIn("memory: lots", detail(result, "seen"))


if __name__ == "__main__":
    unittest.main()
