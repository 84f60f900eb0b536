"""Tests of report.py: the text report, Gradescope JSON and JUnit XML."""

import json
import os
import shutil
import tempfile
import unittest
import xml.etree.ElementTree as ElementTree

import helpers  # noqa: F401  (puts grading/ on the path)
import report
from helpers import outcome, score_boot


def some_results():
    """Lab 01's ktest boot with kprintf's %x broken: 2 failures, 7 passes."""
    results = score_boot("ktest", outcome("kprintf_hex_fails.log", 35, wall=1.25))
    return list(results.values())


class Text(unittest.TestCase):

    def test_lab_report(self):
        lines = report.lab_lines("01-boot", some_results(), report.Painter(False))
        text = "\n".join(lines)
        self.assertEqual(lines[0], "== 01-boot (snapshot 01-boot) ==")
        self.assertIn("  boot: first line ... OK (1.2s)", lines)
        self.assertIn("  kprintf: formatting ... FAIL (1.2s)", lines)
        self.assertIn("      expected: KTAP suite 'kprintf' ok", lines)
        self.assertIn("      seen:     not ok 3 width_and_padding", lines)
        self.assertIn("                not ok 6 hex", lines)
        self.assertIn('# kernel/test/kprintf_test.c:35: buf_ == "ff": "255" != "ff"', text)
        self.assertIn("      log:      build/grade/kprintf_hex_fails.log", lines)
        self.assertEqual(lines[-1], "Score: 55/75")
        self.assertNotIn("\033", text)

    def test_colour_only_when_asked(self):
        lines = report.lab_lines("01-boot", some_results(), report.Painter(True))
        self.assertIn("\033[32mOK\033[0m", "\n".join(lines))

    def test_summary_line(self):
        self.assertEqual(report.summary_line(some_results()), "7 passed, 2 failed")
        self.assertEqual(report.summary_line([]), "0 passed, 0 failed")

    def test_regression_groups(self):
        results = some_results()
        for result in results[:3]:
            result.spec_lab = "00-intro"
        text = "\n".join(report.lab_lines("01-boot", results, report.Painter(False)))
        self.assertIn("  -- 00-intro tests", text)
        self.assertIn("  -- 01-boot tests --", text)

    def test_regressions_come_first(self):
        results = some_results()                 # kprintf fails: call it lab 00's
        for result in results:
            if result.name.startswith("kprintf"):
                result.spec_lab = "00-intro"
        lines = report.lab_lines("01-boot", results, report.Painter(False))
        self.assertEqual(lines[1], "  -- 00-intro tests: REGRESSION, they fail on "
                                   "01-boot's kernel --")
        self.assertIn("00-intro's own code may be unchanged", lines[2])
        self.assertTrue(lines[3].startswith("  kprintf: formatting ... FAIL"))
        self.assertLess(lines.index("  kprintf: formatting ... FAIL (1.2s)"),
                        lines.index("  -- 01-boot tests --"))

    def test_a_kernel_that_did_not_build_is_no_regression(self):
        broken = helpers.score.BootOutcome(error="build failed", error_output=["x.c: error"])
        results = list(score_boot("ktest", broken).values())
        for result in results[:3]:
            result.spec_lab = "00-intro"
        lines = report.lab_lines("01-boot", results, report.Painter(False))
        self.assertEqual(lines[1], "  -- 00-intro tests --")
        self.assertNotIn("REGRESSION", "\n".join(lines))


class MachineOutput(unittest.TestCase):

    def setUp(self):
        self.dir = tempfile.mkdtemp()

    def tearDown(self):
        shutil.rmtree(self.dir)

    def test_gradescope_json(self):
        path = os.path.join(self.dir, "results.json")
        report.write_json(path, some_results(), 12.34)
        with open(path) as handle:
            data = json.loads(handle.read())
        self.assertEqual((data["score"], data["max_score"], data["execution_time"]),
                         (55, 75, 12.3))
        tests = {test["name"]: test for test in data["tests"]}
        kprintf = tests["[01-boot] kprintf: formatting"]
        self.assertEqual((kprintf["status"], kprintf["score"], kprintf["max_score"]),
                         ("failed", 0, 15))
        self.assertIn("not ok 6 hex", kprintf["output"])
        self.assertEqual(tests["[01-boot] boot: first line"]["status"], "passed")

    def test_junit_xml(self):
        path = os.path.join(self.dir, "junit.xml")
        report.write_junit(path, some_results(), 3.0)
        top = ElementTree.parse(path).getroot()
        self.assertEqual(top.tag, "testsuites")
        suite = top.find("testsuite")
        self.assertEqual((suite.get("name"), suite.get("tests"), suite.get("failures")),
                         ("01-boot", "9", "2"))
        failure = suite.find("testcase[@name='kprintf: formatting']/failure")
        self.assertEqual(failure.get("message"), "not ok 3 width_and_padding")
        self.assertIn("expected: KTAP suite 'kprintf' ok", failure.text)
        self.assertIsNone(suite.find("testcase[@name='boot: first line']/failure"))

    def test_junit_survives_garbage(self):
        results = score_boot("ktest", outcome("garbage.log", 35))
        path = os.path.join(self.dir, "junit.xml")
        report.write_junit(path, list(results.values()), 1.0)
        ElementTree.parse(path)  # control bytes are escaped, so this parses


if __name__ == "__main__":
    unittest.main()
