"""Tests of ktap.py: good streams, failures, skips, and broken streams."""

import unittest

import helpers  # noqa: F401  (puts grading/ on the path)
import ktap
import serial

EXAMPLE = """\
baton 01-boot: booting
mem: 130559 KiB usable
KTAP version 1
1..2
    KTAP version 1
    # Subtest: kprintf
    1..3
    ok 1 decimal
    # kernel/test_kprintf.c:42: expected "ff", got "0"
    not ok 2 hex
    ok 3 skipped_one # SKIP no feature
not ok 1 kprintf
    KTAP version 1
    # Subtest: string
    1..1
    ok 1 memcpy
ok 2 string
"""


def parse(text):
    return ktap.parse(serial.split_lines(text))


class ExampleStream(unittest.TestCase):
    """The example from the grading brief."""

    def setUp(self):
        self.stream = parse(EXAMPLE)

    def test_skips_kernel_lines_before_the_stream(self):
        self.assertTrue(self.stream.found)
        self.assertEqual(self.stream.start_line, 2)

    def test_suites_in_order(self):
        self.assertEqual([s.name for s in self.stream.suites], ["kprintf", "string"])
        self.assertEqual(self.stream.root.plan, 2)

    def test_failed_case_and_its_diagnostic(self):
        kprintf = self.stream.suite("kprintf")
        self.assertFalse(kprintf.passed)
        failures = kprintf.failures()
        self.assertEqual([r.name for r in failures], ["hex"])
        self.assertEqual(failures[0].diagnostics[0][1],
                         '# kernel/test_kprintf.c:42: expected "ff", got "0"')

    def test_skip_is_not_a_failure(self):
        case = self.stream.suite("kprintf").case("skipped_one")
        self.assertTrue(case.skipped)
        self.assertFalse(case.failed)
        self.assertEqual(case.reason, "no feature")

    def test_passing_suite(self):
        self.assertTrue(self.stream.suite("string").passed)

    def test_well_formed_but_not_all_passed(self):
        self.assertEqual(self.stream.problems, [])
        self.assertTrue(self.stream.complete)
        self.assertFalse(self.stream.all_passed)


class Directives(unittest.TestCase):

    def test_todo_is_not_a_failure(self):
        result = ktap.parse_result("not ok 4 flaky # TODO fix later", 0)
        self.assertEqual(result.directive, "TODO")
        self.assertFalse(result.failed)

    def test_description_with_dash(self):
        result = ktap.parse_result("ok 1 - decimal", 0)
        self.assertEqual(result.name, "decimal")
        self.assertTrue(result.ok)

    def test_result_without_name(self):
        result = ktap.parse_result("not ok 3", 0)
        self.assertEqual((result.ok, result.number, result.name), (False, 3, ""))


class BrokenStreams(unittest.TestCase):
    """Cut-off and malformed streams are reported, never raised."""

    def test_no_ktap_at_all(self):
        stream = parse("baton 01-boot: booting\nhello\n")
        self.assertFalse(stream.found)
        self.assertEqual(stream.suites, [])
        self.assertIsNone(stream.suite("kprintf"))
        self.assertFalse(stream.all_passed)

    def test_suite_never_closed(self):
        stream = parse("KTAP version 1\n1..2\n    KTAP version 1\n    # Subtest: timer\n"
                       "    1..2\n    ok 1 ticks\n")
        timer = stream.suite("timer")
        self.assertFalse(timer.closed)
        self.assertFalse(timer.passed)
        messages = [str(p) for p in stream.truncation()]
        self.assertTrue(any("suite 'timer' never finished" in m for m in messages), messages)
        self.assertTrue(any("plan says 1..2 but only 0 results" in m for m in messages), messages)

    def test_fewer_top_level_results_than_planned(self):
        stream = helpers_parse("truncated.log")
        messages = [str(p) for p in stream.truncation()]
        self.assertEqual(messages, ["line 71: the test run: plan says 1..7 but only 5 results"])

    def test_wrong_number_and_missing_plan(self):
        stream = parse("KTAP version 1\n    KTAP version 1\n    # Subtest: a\n    ok 2 x\nok 1 a\n")
        messages = " | ".join(str(p) for p in stream.problems)
        self.assertIn("test number 2, expected 1", messages)
        self.assertIn("subtest 'a' has no plan", messages)
        self.assertIn("the test run has no plan", messages)

    def test_suite_name_mismatch(self):
        stream = parse("KTAP version 1\n1..1\n    # Subtest: a\n    1..1\n    ok 1 x\nok 1 b\n")
        self.assertIn("subtest 'a' ends with a result named 'b'", str(stream.problems[0]))

    def test_ok_suite_with_failed_case_is_malformed(self):
        stream = parse("KTAP version 1\n1..1\n    # Subtest: a\n    1..1\n    not ok 1 x\nok 1 a\n")
        self.assertIn("says ok but case 'x' failed", str(stream.problems[0]))
        self.assertFalse(stream.suite("a").passed)

    def test_flat_top_level_result_is_a_suite(self):
        stream = parse("KTAP version 1\n1..1\nok 1 smoke\n")
        self.assertTrue(stream.suite("smoke").passed)
        self.assertTrue(stream.all_passed)

    def test_restart_is_reported(self):
        stream = parse("KTAP version 1\n1..1\nok 1 a\nKTAP version 1\n")
        self.assertIn("starts again", str(stream.problems[0]))

    def test_garbage_never_crashes(self):
        stream = ktap.parse(helpers.fixture_lines("garbage.log"))
        self.assertFalse(stream.found)
        # Random text with KTAP-like fragments in it must not raise either.
        noise = ["KTAP version 1", "1..x", "    not ok", "ok -1", "\x00ok 1 a",
                 "        ok 1 deep", "  ok 1 odd", "# Subtest:", "1..3", "ok 1"]
        for start in range(len(noise)):
            ktap.parse(noise[start:] + noise[:start])

    def test_deeper_nesting(self):
        text = ("KTAP version 1\n1..1\n    KTAP version 1\n    # Subtest: a\n    1..1\n"
                "        KTAP version 1\n        # Subtest: param\n        1..2\n"
                "        ok 1 p1\n        not ok 2 p2\n    not ok 1 param\nnot ok 1 a\n")
        stream = parse(text)
        self.assertEqual(stream.problems, [])
        self.assertEqual([r.name for r in stream.suite("a").failures()], ["param"])


def helpers_parse(name):
    return ktap.parse(helpers.fixture_lines(name))


class Fixtures(unittest.TestCase):

    def test_pass_fixture_is_complete(self):
        stream = helpers_parse("pass.log")
        self.assertTrue(stream.all_passed, [str(p) for p in stream.problems])
        self.assertEqual(len(stream.suites), 7)

    def test_hang_fixture_is_cut_in_ktest(self):
        stream = helpers_parse("hang.log")
        self.assertFalse(stream.suite("ktest").closed)
        self.assertTrue(stream.suite("kprintf").passed)
        self.assertIsNone(stream.suite("timer"))

    def test_failure_fixture_diagnostics(self):
        kprintf = helpers_parse("kprintf_hex_fails.log").suite("kprintf")
        self.assertEqual([r.name for r in kprintf.failures()], ["width_and_padding", "hex"])
        hex_case = kprintf.case("hex")
        self.assertEqual(len(hex_case.diagnostics), 4)
        self.assertIn('"255" != "ff"', hex_case.diagnostics[0][1])


if __name__ == "__main__":
    unittest.main()
