"""Tests of tools/mutants without QEMU: patches that apply or are stale,
the verdict on a grade's results, and copies that keep links as links."""

import os
import shutil
import tempfile
import unittest
from importlib.machinery import SourceFileLoader

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
mutants = SourceFileLoader("mutants", os.path.join(ROOT, "tools", "mutants")).load_module()

PATCH = """Mistake: the answer is off by one
--- a/labs/01-x/kernel/a.c
+++ b/labs/01-x/kernel/a.c
@@ -1,3 +1,3 @@
 int f(void) {
-    return 42;
+    return 41;
 }
"""


class Tree(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="test-mutants-")
        self.kernel = os.path.join(self.tmp, "labs", "01-x", "kernel")
        os.makedirs(self.kernel)
        self.write("labs/01-x/kernel/a.c", "int f(void) {\n    return 42;\n}\n")
        self.patch = self.write("m.patch", PATCH)

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def write(self, rel, text):
        path = os.path.join(self.tmp, rel)
        with open(path, "w") as handle:
            handle.write(text)
        return path

    def test_patch_applies_and_changes_the_file(self):
        ok, output = mutants.apply_patch(self.tmp, self.patch)
        self.assertTrue(ok, output)
        with open(os.path.join(self.kernel, "a.c")) as handle:
            self.assertIn("return 41;", handle.read())

    def test_patch_whose_solution_changed_is_stale(self):
        self.write("labs/01-x/kernel/a.c", "int f(void) {\n    return 7;\n}\n")
        ok, _ = mutants.apply_patch(self.tmp, self.patch)
        self.assertFalse(ok)

    def test_refresh_rewrites_a_patch_after_a_reformat(self):
        self.write("labs/01-x/kernel/a.c", "// a comment\nint f(void) {\n  return 42;\n}\n")
        self.assertFalse(mutants.apply_patch(self.tmp, self.patch)[0])
        ok, why = mutants.refresh(self.tmp, self.patch)
        self.assertTrue(ok, why)
        self.assertEqual(mutants.describe(self.patch), "Mistake: the answer is off by one")
        self.assertTrue(mutants.apply_patch(self.tmp, self.patch)[0])
        with open(os.path.join(self.kernel, "a.c")) as handle:
            self.assertIn("return 41;", handle.read())

    def test_refresh_gives_up_when_the_code_is_gone(self):
        self.write("labs/01-x/kernel/a.c", "int g(void) {\n    return 7;\n}\n")
        self.assertFalse(mutants.refresh(self.tmp, self.patch)[0])

    def test_first_line_describes_the_mistake(self):
        self.assertEqual(mutants.describe(self.patch), "Mistake: the answer is off by one")

    def test_copy_keeps_links_as_links(self):
        os.makedirs(os.path.join(self.tmp, "labs", "02-y", "kernel"))
        os.symlink("../../01-x/kernel/a.c", os.path.join(self.tmp, "labs", "02-y", "kernel", "a.c"))
        os.makedirs(os.path.join(self.tmp, "labs", "02-y", "build"))
        for name in ("01-x", "02-y"):
            self.write("labs/%s/Makefile" % name, "all:\n")
        dest = os.path.join(self.tmp, "copy")
        mutants.copy_tree(self.tmp, "02-y", dest)
        link = os.path.join(dest, "labs", "02-y", "kernel", "a.c")
        self.assertTrue(os.path.islink(link))
        self.assertTrue(os.path.exists(link))           # the lab before came too
        self.assertFalse(os.path.exists(os.path.join(dest, "labs", "02-y", "build")))

    def test_copy_of_final_brings_every_lab_before_it(self):
        os.makedirs(os.path.join(self.tmp, "final", "kernel"))
        os.symlink("../../labs/01-x/kernel/a.c", os.path.join(self.tmp, "final", "kernel", "a.c"))
        for rel in ("labs/01-x/Makefile", "final/Makefile"):
            self.write(rel, "all:\n")
        dest = os.path.join(self.tmp, "copy")
        mutants.copy_tree(self.tmp, "final", dest)
        link = os.path.join(dest, "final", "kernel", "a.c")
        self.assertTrue(os.path.islink(link))
        self.assertTrue(os.path.exists(link))


class Hang(unittest.TestCase):
    def test_a_grade_past_its_limit_is_stopped(self):
        tree = tempfile.mkdtemp(prefix="test-mutants-hang-")
        self.addCleanup(shutil.rmtree, tree)
        os.makedirs(os.path.join(tree, "grading", "specs"))
        with open(os.path.join(tree, "grading", "grade.py"), "w") as handle:
            # like the grader: a child in a session of its own, working in the tree
            handle.write("import subprocess, sys, time\n"
                         "subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)'],"
                         " cwd=%r, start_new_session=True)\ntime.sleep(60)\n" % tree)
        with self.assertRaises(mutants.Hung):
            mutants.grade(tree, "01-x", limit=1.0)
        self.assertEqual(mutants.processes_in(tree), [])


def results(*statuses, output=""):
    return {"tests": [{"name": "[01-x] t%d" % i, "status": s, "output": output}
                      for i, s in enumerate(statuses)]}


class Judge(unittest.TestCase):
    def test_full_marks_is_a_survivor(self):
        verdict = mutants.judge("m", "says", 0, results("passed", "passed"), "", 1.0)
        self.assertEqual(verdict.status, "survived")
        self.assertFalse(verdict.passed)

    def test_a_failed_test_catches_it(self):
        verdict = mutants.judge("m", "says", 1, results("passed", "failed"), "", 1.0)
        self.assertEqual(verdict.status, "caught")
        self.assertIn("t1", verdict.detail)

    def test_a_build_failure_is_a_broken_mutant_not_a_catch(self):
        verdict = mutants.judge("m", "says", 1, results("failed", output="build failed"), "", 1.0)
        self.assertEqual(verdict.status, "broken")
        self.assertFalse(verdict.passed)

    def test_no_results_is_an_error(self):
        self.assertEqual(mutants.judge("m", "says", 2, None, "boom", 1.0).status, "error")


if __name__ == "__main__":
    unittest.main()
