"""Tests of tools/handin: a hand-in holds the lab and its HANDIN manifest,
not the course's scaffolding."""

import glob
import io
import os
import shutil
import tarfile
import tempfile
import unittest
from contextlib import redirect_stdout
from importlib.machinery import SourceFileLoader

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
handin = SourceFileLoader("handin", os.path.join(ROOT, "tools", "handin")).load_module()


class Handin(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="test-handin-")
        for rel in ("labs/01-x/Makefile", "labs/01-x/kernel/a.c", "labs/01-x/build/kernel.elf",
                    "grading/grade.py", "tools/labs.py", "docs/01-x.md", "Makefile"):
            os.makedirs(os.path.dirname(os.path.join(self.tmp, rel)), exist_ok=True)
            with open(os.path.join(self.tmp, rel), "w") as handle:
                handle.write("x\n")
        self.saved, handin.ROOT = handin.ROOT, self.tmp   # not a git repository

    def tearDown(self):
        handin.ROOT = self.saved
        shutil.rmtree(self.tmp)

    def test_only_the_lab_and_the_manifest_go_in(self):
        out = os.path.join(self.tmp, "out")
        os.makedirs(out)
        with redirect_stdout(io.StringIO()):
            self.assertEqual(handin.main(["--lab", "1", "--out", out]), 0)
        [path] = glob.glob(os.path.join(out, "handin-01-x-*.tar.gz"))
        with tarfile.open(path) as tar:
            files = sorted(m.name for m in tar.getmembers() if m.isfile())
            manifest = tar.extractfile("handin-01-x/HANDIN").read().decode()
        self.assertEqual(files, ["handin-01-x/HANDIN", "handin-01-x/labs/01-x/Makefile",
                                 "handin-01-x/labs/01-x/kernel/a.c"])
        self.assertIn("lab: 01-x", manifest)


if __name__ == "__main__":
    unittest.main()
