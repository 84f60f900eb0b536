"""Tests of `tools/handout share`: what counts as a code line, and the
verdict per lab with and without the allowlist."""

import io
import os
import shutil
import tempfile
import unittest
from contextlib import redirect_stdout
from importlib.machinery import SourceFileLoader

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
handout = SourceFileLoader("handout", os.path.join(ROOT, "tools", "handout")).load_module()


class CodeLines(unittest.TestCase):
    def test_comments_and_blank_lines_do_not_count(self):
        lines = ["int a; // x", "// only", "/* one", "   two */ int b;", "", "  /* c */",
                 'char *s = "//no";']
        self.assertEqual(handout.code_line_flags(lines),
                         [True, False, False, True, False, False, True])

    def test_nasm_comments(self):
        self.assertEqual(handout.code_line_flags(["; c", "mov rax, 1 ; x", 'db ";"'], asm=True),
                         [False, True, True])


class Share(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="test-share-")
        kernel = os.path.join(self.tmp, "labs", "01-x", "kernel")
        os.makedirs(os.path.join(kernel, "test"))
        body = ["int f%d(void) { return %d; }" % (i, i) for i in range(200)]
        given = ["int g%d;" % i for i in range(100)]
        with open(os.path.join(kernel, "a.c"), "w") as handle:
            handle.write("\n".join(given + ["// LAB 1: BEGIN SOLUTION"] + body
                                   + ["// LAB 1: END SOLUTION", "// LAB 1: STUB ;"]) + "\n")
        with open(os.path.join(kernel, "test", "t.c"), "w") as handle:   # not counted
            handle.write("int t;\n" * 1000)
        os.symlink("a.c", os.path.join(kernel, "linked.c"))              # not counted
        self.lab = ("01-x", os.path.join(self.tmp, "labs", "01-x"))
        self.allow = os.path.join(self.tmp, "allow")

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def report(self, allowed=()):
        with open(self.allow, "w") as handle:
            handle.write("# comment\n" + "".join(name + "\n" for name in allowed))
        with redirect_stdout(io.StringIO()) as out:
            counts = handout.share_report(self.tmp, [self.lab], self.allow)
        return counts, out.getvalue()

    def test_counts_own_non_test_lines(self):
        self.assertEqual(handout.lab_share(self.tmp, *self.lab), (200, 300))

    def test_a_lab_at_the_rule_passes(self):
        self.assertEqual(self.report()[0], (1, 0))

    def test_a_lab_below_the_rule_fails_unless_allowed(self):
        with open(os.path.join(self.lab[1], "kernel", "b.c"), "w") as handle:
            handle.write("int h;\n" * 500)           # 200 of 800: 25 %
        (passed, failed), text = self.report()
        self.assertEqual((passed, failed), (0, 1))
        self.assertIn("< 30 %", text)
        self.assertEqual(self.report(["01-x"])[0], (1, 0))

    def test_an_allowlist_entry_for_a_lab_at_the_rule_fails(self):
        (passed, failed), text = self.report(["01-x"])
        self.assertEqual((passed, failed), (0, 1))
        self.assertIn("remove it", text)


class FinalMarkers(unittest.TestCase):
    """final/ says `LAB final` where a lab says its number."""
    LINES = ["int a;", "// LAB final: BEGIN SOLUTION", "int b;", "// LAB final: END SOLUTION",
             "// LAB final: STUB return 0;"]

    def test_parsed_with_their_label(self):
        self.assertEqual(handout.parse_markers(self.LINES, "x.c", "final"), [(1, 3, 5, "final")])

    def test_a_number_in_a_file_of_final_is_misnumbered(self):
        with self.assertRaises(handout.MarkerError):
            handout.parse_markers(["// LAB 6: BEGIN SOLUTION", "// LAB 6: END SOLUTION"], "x.c",
                                  "final")
        with self.assertRaises(handout.MarkerError):
            handout.parse_markers(self.LINES, "x.c", "6")

    def test_cut_in_final_kept_in_a_lab(self):
        text = "\n".join(self.LINES)
        self.assertEqual(handout.cut_solutions(text, "final", "x.c"),
                         "int a;\n// LAB final: your code here.\nreturn 0;")
        self.assertEqual(handout.cut_solutions(text, "6", "x.c"), "int a;\nint b;")

    def test_final_share_counts_its_own_markers(self):
        tmp = tempfile.mkdtemp(prefix="test-share-final-")
        self.addCleanup(shutil.rmtree, tmp)
        os.makedirs(os.path.join(tmp, "final", "kernel"))
        with open(os.path.join(tmp, "final", "kernel", "a.c"), "w") as handle:
            handle.write("\n".join(self.LINES) + "\n")
        self.assertEqual(handout.lab_share(tmp, "final", os.path.join(tmp, "final")), (1, 2))


if __name__ == "__main__":
    unittest.main()
