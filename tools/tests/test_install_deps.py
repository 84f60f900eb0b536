"""Tests for tools/install-deps and tools/doctor, with fake tools.

Nothing here installs anything. Each test makes a directory of small fake
programs and points the scripts at it through their test settings:

    BATON_DEPS_PATH  look for tools (and apt-get, sudo) only in the fake dir
    BATON_GRUB_DIR   a directory that stands for GRUB's i386-pc modules
    BATON_DEPS_UID   act as root (0) or as a normal user (1000)

The fake apt-get only writes down how it was called, and on `install` makes
the fake tools it was told the packages provide.
"""

import os
import shutil
import stat
import subprocess
import tempfile
import unittest

TOOLS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
INSTALL_DEPS = os.path.join(TOOLS, "install-deps")
DOCTOR = os.path.join(TOOLS, "doctor")

# Every required command, and the package tools/install-deps names for it.
REQUIRED = {
    "qemu-system-x86_64": "qemu-system-x86",
    "nasm": "nasm",
    "grub-mkrescue": "grub-common",
    "xorriso": "xorriso",
    "mformat": "mtools",
    "gcc": "gcc",
    "make": "make",
    "python3": "python3",
    "gdb": "gdb",
}

FAKE_TOOL = """#!/bin/sh
echo "{line}"
"""

# Writes its arguments and DEBIAN_FRONTEND to $FAKE_APT_LOG. On install,
# fails if $FAKE_APT_FAIL is set, else creates the tools in $FAKE_APT_PROVIDES.
FAKE_APT = """#!/bin/sh
echo "$* [DEBIAN_FRONTEND=$DEBIAN_FRONTEND]" >> "$FAKE_APT_LOG"
echo "Reading package lists... Done"
if [ "$1" = install ]; then
    if [ -n "$FAKE_APT_FAIL" ]; then
        echo "E: Unable to locate package $FAKE_APT_FAIL"
        exit 100
    fi
    for tool in $FAKE_APT_PROVIDES; do
        printf '#!/bin/sh\\necho fake\\n' > "$(dirname "$0")/$tool"
        chmod +x "$(dirname "$0")/$tool"
    done
fi
"""

SUDO_WORKS = """#!/bin/sh
[ "$1" = -n ] && shift
exec "$@"
"""

SUDO_WANTS_PASSWORD = """#!/bin/sh
echo "sudo: a password is required" >&2
exit 1
"""


class FakeSystem(unittest.TestCase):
    """A fake bin directory and GRUB directory, and a way to run the scripts."""

    def setUp(self):
        self._tmp = tempfile.TemporaryDirectory()
        self.bin = os.path.join(self._tmp.name, "bin")
        self.grub = os.path.join(self._tmp.name, "grub", "i386-pc")
        self.apt_log = os.path.join(self._tmp.name, "apt.log")
        os.makedirs(self.bin)
        os.makedirs(self.grub)

    def tearDown(self):
        self._tmp.cleanup()

    def add(self, name, text=None):
        path = os.path.join(self.bin, name)
        with open(path, "w") as handle:
            handle.write(text if text is not None else FAKE_TOOL.format(line=name + " 1.0"))
        os.chmod(path, os.stat(path).st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)

    def add_all_but(self, *missing):
        for tool in REQUIRED:
            if tool not in missing:
                self.add(tool)

    def run_script(self, script, *args, uid=0, **extra_env):
        env = dict(os.environ)
        env.update(BATON_DEPS_PATH=self.bin, BATON_GRUB_DIR=self.grub,
                   BATON_DEPS_UID=str(uid), HOSTTYPE="x86_64",
                   FAKE_APT_LOG=self.apt_log,
                   TMPDIR=self._tmp.name)  # apt logs land here, and go with it
        env.update(extra_env)
        result = subprocess.run([script] + list(args), env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, universal_newlines=True, timeout=60)
        return result.returncode, result.stdout, result.stderr

    def apt_calls(self):
        if not os.path.exists(self.apt_log):
            return []
        with open(self.apt_log) as handle:
            return handle.read().splitlines()

    def install_line(self, text):
        """The packages on the `apt-get install -y ...` line of the output."""
        for line in text.splitlines():
            if "apt-get install -y " in line:
                return line.split("apt-get install -y ", 1)[1].split()
        self.fail("no apt-get install line in:\n" + text)


class InstallDepsTests(FakeSystem):

    def test_all_present_is_silent(self):
        self.add_all_but()
        self.add("apt-get", FAKE_APT)
        self.assertEqual(self.run_script(INSTALL_DEPS), (0, "", ""))
        self.assertEqual(self.run_script(INSTALL_DEPS, "--check"), (0, "", ""))
        self.assertEqual(self.apt_calls(), [], "no apt call when nothing is missing")

    def test_check_names_exactly_the_missing_packages(self):
        self.add_all_but("nasm", "xorriso", "gdb")
        self.add("apt-get", FAKE_APT)
        status, out, err = self.run_script(INSTALL_DEPS, "--check")
        self.assertEqual(status, 1)
        self.assertEqual(self.install_line(err), ["nasm", "xorriso", "gdb"])
        self.assertIn("nasm (nasm)", err)
        self.assertEqual(self.apt_calls(), [], "--check never installs")

    def test_missing_grub_modules_need_grub_pc_bin(self):
        self.add_all_but("grub-mkrescue")
        self.add("apt-get", FAKE_APT)
        shutil.rmtree(self.grub)
        status, _, err = self.run_script(INSTALL_DEPS, "--check")
        self.assertEqual(status, 1)
        self.assertEqual(self.install_line(err), ["grub-common", "grub-pc-bin"])

    def test_optional_tools_only_when_asked(self):
        self.add_all_but()
        self.add("apt-get", FAKE_APT)
        self.assertEqual(self.run_script(INSTALL_DEPS, "--check")[0], 0)
        status, _, err = self.run_script(INSTALL_DEPS, "--check", "--with-optional")
        self.assertEqual(status, 1)
        self.assertEqual(self.install_line(err), ["clang", "libclang-rt-14-dev", "clang-format",
                                                  "cppcheck", "pyflakes3", "shellcheck",
                                                  "graphviz"])
        for linter in ("clang-format", "cppcheck", "pyflakes3", "shellcheck", "dot"):
            self.add(linter, "#!/bin/sh\n")
        status, _, err = self.run_script(INSTALL_DEPS, "--check", "--with-optional")
        self.assertEqual(self.install_line(err), ["clang", "libclang-rt-14-dev"])
        # A clang whose libFuzzer runtime is missing still needs the package.
        self.add("clang", "#!/bin/sh\necho libclang_rt.fuzzer-x86_64.a\n")
        status, _, err = self.run_script(INSTALL_DEPS, "--check", "--with-optional")
        self.assertEqual(self.install_line(err), ["libclang-rt-14-dev"])
        # With the runtime where clang says it is, nothing is missing.
        self.add("clang", "#!/bin/sh\necho %s\n" % os.path.abspath(INSTALL_DEPS))
        self.assertEqual(self.run_script(INSTALL_DEPS, "--check", "--with-optional")[0], 0)

    def test_other_hosts_need_a_cross_compiler(self):
        self.add_all_but()
        self.add("apt-get", FAKE_APT)
        status, _, err = self.run_script(INSTALL_DEPS, "--check", HOSTTYPE="aarch64")
        self.assertEqual(status, 1)
        self.assertEqual(self.install_line(err), ["gcc-x86-64-linux-gnu"])

    def test_user_without_sudo_gets_the_command(self):
        self.add_all_but("nasm", "mformat")
        self.add("apt-get", FAKE_APT)
        status, _, err = self.run_script(INSTALL_DEPS, uid=1000)
        self.assertEqual(status, 1)
        self.assertIn("sudo apt-get install -y nasm mtools", err)
        self.assertEqual(self.apt_calls(), [])

    def test_user_whose_sudo_wants_a_password_gets_the_command(self):
        self.add_all_but("nasm")
        self.add("apt-get", FAKE_APT)
        self.add("sudo", SUDO_WANTS_PASSWORD)
        status, _, err = self.run_script(INSTALL_DEPS, uid=1000)
        self.assertEqual(status, 1)
        self.assertIn("sudo apt-get install -y nasm", err)
        self.assertEqual(self.apt_calls(), [])

    def test_root_installs_with_apt(self):
        self.add_all_but("nasm", "mformat")
        self.add("apt-get", FAKE_APT)
        status, out, err = self.run_script(INSTALL_DEPS, FAKE_APT_PROVIDES="nasm mformat")
        self.assertEqual(status, 0, err)
        self.assertEqual(out, "")
        self.assertIn("installing nasm mtools", err)
        self.assertNotIn("Reading package lists", err, "apt's noise goes to the log")
        calls = self.apt_calls()
        self.assertTrue(calls[0].startswith("update "), calls)
        self.assertEqual(calls[1], "install -y --no-install-recommends "
                                   "-o DPkg::Lock::Timeout=120 nasm mtools "
                                   "[DEBIAN_FRONTEND=noninteractive]")

    def test_passwordless_sudo_installs(self):
        self.add_all_but("gdb")
        self.add("apt-get", FAKE_APT)
        self.add("sudo", SUDO_WORKS)
        status, _, err = self.run_script(INSTALL_DEPS, uid=1000, FAKE_APT_PROVIDES="gdb")
        self.assertEqual(status, 0, err)
        self.assertEqual(len(self.apt_calls()), 2)

    def test_failed_install_shows_the_log_tail(self):
        self.add_all_but("nasm")
        self.add("apt-get", FAKE_APT)
        status, _, err = self.run_script(INSTALL_DEPS, FAKE_APT_FAIL="nasm")
        self.assertEqual(status, 1)
        self.assertIn("apt-get install failed", err)
        self.assertIn("E: Unable to locate package nasm", err)

    def test_install_that_does_not_deliver_fails(self):
        self.add_all_but("nasm")
        self.add("apt-get", FAKE_APT)
        status, _, err = self.run_script(INSTALL_DEPS, FAKE_APT_PROVIDES="")
        self.assertEqual(status, 1)
        self.assertIn("still missing", err)

    def test_without_apt_names_the_tools(self):
        self.add_all_but("nasm", "qemu-system-x86_64")
        status, _, err = self.run_script(INSTALL_DEPS)
        self.assertEqual(status, 1)
        self.assertIn("qemu-system-x86_64", err)
        self.assertIn("nasm", err)
        self.assertIn("package manager", err)

    def test_bad_option(self):
        self.assertEqual(self.run_script(INSTALL_DEPS, "--bogus")[0], 2)


class DoctorTests(FakeSystem):

    def test_all_present(self):
        self.add_all_but("qemu-system-x86_64", "python3")
        self.add("qemu-system-x86_64", FAKE_TOOL.format(line="QEMU emulator version 8.1.0"))
        self.add("python3", FAKE_TOOL.format(line="Python 3.11.2"))
        # clang, and where it says its libFuzzer runtime is (any real file).
        self.add("clang", "#!/bin/sh\necho %s\n" % os.path.abspath(INSTALL_DEPS))
        for linter in ("clang-format", "cppcheck", "pyflakes3", "shellcheck", "dot"):
            self.add(linter, FAKE_TOOL.format(line=linter + " 1.0"))
        status, out, _ = self.run_script(DOCTOR)
        self.assertEqual(status, 0, out)
        self.assertIn("QEMU 8.1", out)
        self.assertIn("compiler: gcc", out)
        self.assertEqual(out.splitlines()[-1], "all tools present")

    def test_missing_tools_and_old_versions(self):
        self.add_all_but("nasm", "gdb", "qemu-system-x86_64", "python3")
        self.add("qemu-system-x86_64", FAKE_TOOL.format(line="QEMU emulator version 6.2.0"))
        self.add("python3", FAKE_TOOL.format(line="Python 3.11.2"))
        self.add("apt-get", FAKE_APT)
        status, out, _ = self.run_script(DOCTOR, uid=1000)
        self.assertEqual(status, 1)
        self.assertRegex(out, r"missing +nasm +package nasm")
        self.assertIn("warning: QEMU 6.2 is older than 7.2", out)
        self.assertIn("to install what is missing: sudo apt-get install -y nasm gdb", out)
        self.assertIn("optional, for later labs: sudo apt-get install -y clang", out)

    def test_old_python_is_a_problem(self):
        self.add_all_but("python3")
        self.add("python3", FAKE_TOOL.format(line="Python 3.8.10"))
        status, out, _ = self.run_script(DOCTOR)
        self.assertEqual(status, 1)
        self.assertIn("need Python 3.9 or newer", out)


if __name__ == "__main__":
    unittest.main()
