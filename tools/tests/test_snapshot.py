"""Tests for tools/snapshot and tools/labs.py, on scratch trees.

Every test builds its own small repository in a temporary directory:

    labs/01-boot/      Makefile, kernel/main.c, kernel/serial.c   (all own)
    labs/02-paging/    rewrites main.c, adds paging.c, links the rest
    labs/03-buddy/     adds buddy.c, links the rest
    final/             links everything to labs/03-buddy

and runs the tools on it the way a person would, through their command
lines, plus labs.py's functions the way the grader imports them.
"""

import os
import subprocess
import sys
import tempfile
import unittest

TOOLS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SNAPSHOT = os.path.join(TOOLS, "snapshot")
LABS_PY = os.path.join(TOOLS, "labs.py")

sys.dont_write_bytecode = True
sys.path.insert(0, TOOLS)
import labs  # noqa: E402


def write(root, rel, text="", mode=None):
    """Create a regular file (and its directories) under root."""
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    if os.path.lexists(path):
        os.unlink(path)  # never write through a link into another lab
    with open(path, "w") as handle:
        handle.write(text)
    if mode is not None:
        os.chmod(path, mode)


def link(root, rel, target):
    """Create (or replace) a symlink under root pointing at target."""
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    if os.path.lexists(path):
        os.unlink(path)
    os.symlink(target, path)


def build_good_tree(root, with_final=True):
    """The scratch repository described at the top of this file."""
    write(root, "labs/01-boot/Makefile", "all:\n")
    write(root, "labs/01-boot/kernel/main.c", "int main(void) { return 1; }\n")
    write(root, "labs/01-boot/kernel/serial.c", "void serial(void) {}\n")
    write(root, "labs/01-boot/build/kernel.elf", "build output, ignored\n")

    link(root, "labs/02-paging/Makefile", "../01-boot/Makefile")
    write(root, "labs/02-paging/kernel/main.c", "int main(void) { return 2; }\n")
    link(root, "labs/02-paging/kernel/serial.c", "../../01-boot/kernel/serial.c")
    write(root, "labs/02-paging/kernel/paging.c", "void paging(void) {}\n")

    link(root, "labs/03-buddy/Makefile", "../02-paging/Makefile")
    for name in ("main.c", "serial.c", "paging.c"):
        link(root, "labs/03-buddy/kernel/" + name, "../../02-paging/kernel/" + name)
    write(root, "labs/03-buddy/kernel/buddy.c", "void buddy(void) {}\n")
    # Build outputs may hold anything, even absolute links: they are skipped.
    link(root, "labs/03-buddy/build/stray", "/nowhere/at/all")

    if with_final:
        link(root, "final/Makefile", "../labs/03-buddy/Makefile")
        for name in ("main.c", "serial.c", "paging.c", "buddy.c"):
            link(root, "final/kernel/" + name, "../../labs/03-buddy/kernel/" + name)


def run(*command, **kwargs):
    """Run a tool; return (exit status, stdout, stderr)."""
    result = subprocess.run(list(command), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, universal_newlines=True, **kwargs)
    return result.returncode, result.stdout, result.stderr


class ScratchTree(unittest.TestCase):
    """A fresh good tree per test, and helpers to run the tools on it."""

    with_final = True

    def setUp(self):
        self._tmp = tempfile.TemporaryDirectory()
        self.root = self._tmp.name
        build_good_tree(self.root, with_final=self.with_final)

    def tearDown(self):
        self._tmp.cleanup()

    def path(self, rel):
        return os.path.join(self.root, rel)

    def snapshot(self, *args):
        """Run tools/snapshot from inside the scratch tree."""
        return run(sys.executable, SNAPSHOT, *args, cwd=self.root)

    def check(self):
        return self.snapshot("check", "--root", self.root)

    def assert_check_fails(self, expected_message, failed=1):
        status, out, _ = self.check()
        self.assertEqual(status, 1, out)
        self.assertIn(expected_message, out)
        self.assertEqual(out.splitlines()[-1], "%d passed, %d failed" % (4 - failed, failed))


class CheckTests(ScratchTree):

    def test_good_tree_passes(self):
        status, out, _ = self.check()
        self.assertEqual(status, 0, out)
        self.assertEqual(out.splitlines()[-1], "4 passed, 0 failed")
        self.assertNotIn("warning", out)

    def test_dangling_link_fails(self):
        link(self.root, "labs/03-buddy/kernel/gone.c", "../../02-paging/kernel/gone.c")
        # final/ also lacks the file 03-buddy now has: a second failure.
        self.assert_check_fails("labs/03-buddy/kernel/gone.c: dangling link", failed=2)

    def test_link_two_labs_back_fails(self):
        # It resolves, and to the right file, but skips 02-paging: a fix made
        # in 02-paging would never reach 03-buddy.
        link(self.root, "labs/03-buddy/kernel/serial.c", "../../01-boot/kernel/serial.c")
        self.assert_check_fails(
            "labs/03-buddy/kernel/serial.c: links to ../../01-boot/kernel/serial.c, "
            "expected ../../02-paging/kernel/serial.c")

    def test_link_to_another_path_fails(self):
        link(self.root, "labs/03-buddy/kernel/main.c", "../../02-paging/kernel/paging.c")
        self.assert_check_fails(
            "labs/03-buddy/kernel/main.c: links to another path (kernel/paging.c)")

    def test_absolute_link_fails(self):
        link(self.root, "labs/03-buddy/kernel/main.c",
             self.path("labs/02-paging/kernel/main.c"))
        self.assert_check_fails("labs/03-buddy/kernel/main.c: absolute link")

    def test_final_must_link_to_newest_lab(self):
        link(self.root, "final/kernel/paging.c", "../../labs/02-paging/kernel/paging.c")
        self.assert_check_fails("final/kernel/paging.c: links to ../../labs/02-paging")

    def test_link_out_of_the_snapshots_fails(self):
        write(self.root, "docs/main.c", "int main(void) { return 0; }\n")
        link(self.root, "labs/03-buddy/kernel/main.c", "../../../docs/main.c")
        self.assert_check_fails("labs/03-buddy/kernel/main.c: links outside the snapshots")

    def test_two_labs_with_one_number_fail(self):
        write(self.root, "labs/03-other/Makefile", "all:\n")
        status, out, _ = self.check()
        self.assertEqual(status, 1, out)
        self.assertIn(": same number as 03-", out)

    def test_first_snapshot_must_own_its_files(self):
        link(self.root, "labs/01-boot/kernel/alias.c", "main.c")
        self.assert_check_fails("labs/01-boot/kernel/alias.c: is a link", failed=2)

    def test_linked_directory_fails(self):
        link(self.root, "labs/02-paging/lib", "../01-boot/kernel")
        self.assert_check_fails("labs/02-paging/lib: links a directory", failed=2)

    def test_file_missing_from_a_later_snapshot_fails(self):
        # A file added to an earlier lab must reach every later one.
        write(self.root, "labs/02-paging/kernel/new.c", "int x;\n")
        self.assert_check_fails(
            "labs/03-buddy/kernel/new.c: missing (02-paging has it); link it: "
            "tools/snapshot inherit labs/03-buddy/kernel/new.c")
        status, out, _ = self.snapshot("inherit", self.path("labs/03-buddy/kernel/new.c"))
        self.assertEqual(status, 0, out)
        self.assertEqual(os.readlink(self.path("labs/03-buddy/kernel/new.c")),
                         "../../02-paging/kernel/new.c")

    def test_identical_copy_only_warns(self):
        write(self.root, "labs/02-paging/kernel/serial.c", "void serial(void) {}\n")
        status, out, _ = self.check()
        self.assertEqual(status, 0, out)
        self.assertIn("warning: labs/02-paging/kernel/serial.c: same as in 01-boot", out)

    def test_snapshot_without_makefile_fails(self):
        os.unlink(self.path("labs/03-buddy/Makefile"))
        # final/Makefile links to it, so final fails too, as a dangling link.
        self.assert_check_fails("labs/03-buddy: no Makefile", failed=2)
        self.assertIn("final/Makefile: dangling link", self.check()[1])


class ForkAndInheritTests(ScratchTree):

    def test_fork_turns_link_into_own_copy(self):
        write(self.root, "labs/01-boot/kernel/run.sh", "#!/bin/sh\n", mode=0o755)
        link(self.root, "labs/02-paging/kernel/run.sh", "../../01-boot/kernel/run.sh")
        status, out, err = self.snapshot("fork", "labs/02-paging/kernel/run.sh")
        self.assertEqual(status, 0, err)
        forked = self.path("labs/02-paging/kernel/run.sh")
        self.assertFalse(os.path.islink(forked))
        with open(forked) as handle:
            self.assertEqual(handle.read(), "#!/bin/sh\n")
        self.assertTrue(os.access(forked, os.X_OK), "the mode is kept")
        self.assertIn("02-paging's own file", out)

    def test_fork_through_a_chain_of_links(self):
        status, _, err = self.snapshot("fork", "final/kernel/serial.c")
        self.assertEqual(status, 0, err)
        with open(self.path("final/kernel/serial.c")) as handle:
            self.assertEqual(handle.read(), "void serial(void) {}\n")

    def test_fork_refuses_a_regular_file(self):
        status, _, err = self.snapshot("fork", "labs/03-buddy/kernel/buddy.c")
        self.assertEqual(status, 2)
        self.assertIn("labs/03-buddy/kernel/buddy.c: not a link", err)

    def test_fork_refuses_outside_a_snapshot(self):
        link(self.root, "docs/readme", "../labs/01-boot/Makefile")
        status, _, err = self.snapshot("fork", "docs/readme")
        self.assertEqual(status, 2)
        self.assertIn("docs/readme: not inside a snapshot", err)

    def test_fork_refuses_a_dangling_link(self):
        link(self.root, "labs/03-buddy/kernel/gone.c", "../../02-paging/kernel/gone.c")
        status, _, err = self.snapshot("fork", "labs/03-buddy/kernel/gone.c")
        self.assertEqual(status, 2)
        self.assertIn("dangling link", err)

    def test_inherit_undoes_fork(self):
        self.snapshot("fork", "labs/03-buddy/kernel/main.c")
        status, _, err = self.snapshot("inherit", "labs/03-buddy/kernel/main.c")
        self.assertEqual(status, 0, err)
        self.assertEqual(os.readlink(self.path("labs/03-buddy/kernel/main.c")),
                         "../../02-paging/kernel/main.c")
        self.assertEqual(self.check()[0], 0)

    def test_inherit_keeps_changed_files_unless_forced(self):
        rel = "labs/02-paging/kernel/main.c"  # differs from 01-boot's
        status, _, err = self.snapshot("inherit", rel)
        self.assertEqual(status, 2)
        self.assertIn("differs from 01-boot's version", err)
        self.assertFalse(os.path.islink(self.path(rel)))
        status, _, err = self.snapshot("inherit", "--force", rel)
        self.assertEqual(status, 0, err)
        self.assertTrue(os.path.islink(self.path(rel)))


class NewSnapshotTests(ScratchTree):

    with_final = False

    def test_new_lab_links_everything_and_passes(self):
        status, out, err = self.snapshot("new", "04-usermode", "--root", self.root)
        self.assertEqual(status, 0, err)
        self.assertEqual(os.readlink(self.path("labs/04-usermode/kernel/buddy.c")),
                         "../../03-buddy/kernel/buddy.c")
        self.assertEqual(os.readlink(self.path("labs/04-usermode/Makefile")),
                         "../03-buddy/Makefile")
        self.assertFalse(os.path.lexists(self.path("labs/04-usermode/build")))
        self.assertFalse(os.path.islink(self.path("labs/04-usermode/kernel")))
        status, out, _ = self.check()
        self.assertEqual(status, 0, out)
        self.assertEqual(out.splitlines()[-1], "4 passed, 0 failed")

    def test_new_final(self):
        status, _, err = self.snapshot("new", "final", "--root", self.root)
        self.assertEqual(status, 0, err)
        self.assertEqual(os.readlink(self.path("final/kernel/main.c")),
                         "../../labs/03-buddy/kernel/main.c")
        self.assertEqual(self.check()[0], 0)

    def test_new_refuses_wrong_number(self):
        status, _, err = self.snapshot("new", "05-caps", "--root", self.root)
        self.assertEqual(status, 2)
        self.assertIn("start with 04-", err)
        self.assertFalse(os.path.exists(self.path("labs/05-caps")))

    def test_new_refuses_bad_name(self):
        status, _, err = self.snapshot("new", "04 User Mode", "--root", self.root)
        self.assertEqual(status, 2)
        self.assertIn("not a lab name", err)

    def test_new_refuses_existing(self):
        write(self.root, "labs/04-usermode", "a stray file, not a snapshot\n")
        status, _, err = self.snapshot("new", "04-usermode", "--root", self.root)
        self.assertEqual(status, 2)
        self.assertIn("labs/04-usermode exists already", err)
        self.snapshot("new", "final", "--root", self.root)
        status, _, err = self.snapshot("new", "final", "--root", self.root)
        self.assertEqual(status, 2)
        self.assertIn("final/ exists already", err)

    def test_new_refuses_a_lab_after_final(self):
        self.snapshot("new", "final", "--root", self.root)
        status, _, err = self.snapshot("new", "04-usermode", "--root", self.root)
        self.assertEqual(status, 2)
        self.assertIn("final/ exists", err)


class ListingTests(ScratchTree):

    def test_own_lists_only_regular_files(self):
        status, out, _ = self.snapshot("own", "buddy", "--root", self.root)
        self.assertEqual(status, 0)
        self.assertEqual(out.split(), ["labs/03-buddy/kernel/buddy.c"])

    def test_links_lists_inherited_files(self):
        status, out, _ = self.snapshot("links", "2", "--root", self.root)
        self.assertEqual(status, 0)
        self.assertEqual(out.splitlines(), [
            "labs/02-paging/Makefile -> ../01-boot/Makefile",
            "labs/02-paging/kernel/serial.c -> ../../01-boot/kernel/serial.c",
        ])


class LabsModuleTests(ScratchTree):
    """labs.py as the grader uses it."""

    def test_list_labs_in_order_final_last(self):
        names = [name for name, _ in labs.list_labs(self.root)]
        self.assertEqual(names, ["01-boot", "02-paging", "03-buddy", "final"])

    def test_a_lab_needs_a_makefile(self):
        os.makedirs(self.path("labs/04-usermode/kernel"))
        names = [name for name, _ in labs.list_labs(self.root)]
        self.assertNotIn("04-usermode", names)

    def test_resolve_accepts_every_spelling(self):
        for value in ("3", "03", "03-buddy", "buddy", " BUDDY ", "labs/03-buddy/"):
            name, path = labs.resolve(self.root, value)
            self.assertEqual(name, "03-buddy", value)
            self.assertEqual(path, os.path.join(self.root, "labs", "03-buddy"))
        self.assertEqual(labs.resolve(self.root, "Final")[0], "final")

    def test_resolve_rejects_unknown_with_valid_names(self):
        with self.assertRaises(labs.LabError) as caught:
            labs.resolve(self.root, "7")
        self.assertEqual(str(caught.exception),
                         "no lab '7'; valid: 01-boot (1, boot), 02-paging (2, paging), "
                         "03-buddy (3, buddy), final")

    def test_previous(self):
        self.assertEqual(labs.previous(self.root, "final"), "03-buddy")
        self.assertEqual(labs.previous(self.root, "03-buddy"), "02-paging")
        self.assertIsNone(labs.previous(self.root, "01-boot"))


class LabsCommandTests(ScratchTree):
    """labs.py as the Makefile uses it."""

    def labs_cli(self, *args):
        return run(sys.executable, LABS_PY, "--root", self.root, *args)

    def test_resolve_prints_relative_path(self):
        self.assertEqual(self.labs_cli("resolve", "2"), (0, "labs/02-paging\n", ""))
        self.assertEqual(self.labs_cli("resolve", "final"), (0, "final\n", ""))

    def test_bad_value_exits_2_listing_valid_labs(self):
        status, out, err = self.labs_cli("resolve", "x")
        self.assertEqual(status, 2)
        self.assertEqual(out, "")
        self.assertEqual(err, "no lab 'x'; valid: 01-boot (1, boot), 02-paging "
                              "(2, paging), 03-buddy (3, buddy), final\n")

    def test_list(self):
        status, out, _ = self.labs_cli("list")
        self.assertEqual((status, out.split()), (0, ["01-boot", "02-paging", "03-buddy", "final"]))

    def test_default_is_final_else_newest(self):
        self.assertEqual(self.labs_cli("default"), (0, "final\n", ""))
        os.unlink(self.path("final/Makefile"))  # final/ no longer builds
        self.assertEqual(self.labs_cli("default"), (0, "labs/03-buddy\n", ""))

    def test_default_without_labs_fails(self):
        with tempfile.TemporaryDirectory() as empty:
            status, out, err = run(sys.executable, LABS_PY, "--root", empty, "default")
        self.assertEqual((status, out), (2, ""))
        self.assertIn("no labs found", err)


if __name__ == "__main__":
    unittest.main()
