"""Tests of grade.py and qemu.py: the command line, and whole runs with fakes.

The whole-run tests put a fake `make` and a fake `qemu-system-x86_64` first
on PATH. The fake make "builds" instantly and writes the kernel command
line into the "ISO"; the fake QEMU reads it back and plays a recorded log
from fixtures/ with the matching exit status, or hangs. So the runner's
real code (process groups, timeouts, logs, parallel boots) is exercised in
a second or two, without a kernel.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

import helpers
import badelf
import grade
import spec

FAKE_MAKE = r'''#!PYTHON
import os, sys
args = sys.argv[1:]
if "iso" in args:
    values = dict(a.split("=", 1) for a in args if "=" in a)
    with open(values["ISO"], "w") as iso:
        iso.write(values.get("CMDLINE", ""))
        for path in values.get("MODULES", "").split():
            with open(path, "rb") as module:
                data = module.read()
            iso.write("\nmodule %s %d %s %s" % (os.path.basename(path), len(data),
                                                data[:4].hex() or "-", os.path.dirname(path)))
    sys.exit(0)
fail = os.environ.get("FAKE_BUILD_FAIL")   # fail the build of a lab whose path holds it
if fail and fail in args[args.index("-C") + 1]:
    print("kernel/main.c:12:5: error: 'kmain' undeclared")
    sys.exit(2)
build = os.path.join(args[args.index("-C") + 1], "build")
os.makedirs(build, exist_ok=True)
open(os.path.join(build, "kernel.elf"), "a").close()
'''

FAKE_QEMU = r'''#!PYTHON
import os, shutil, sys, time
args = sys.argv[1:]
option = lambda name: args[args.index(name) + 1]
if "-kernel" in args:      # the grader's loader: modules are "<file> <name>"
    cmdline, modules = option("-append"), []
    for module in option("-initrd").split(","):
        path, name = module.split(" ")
        data = open(path, "rb").read()
        if name.startswith("bad-"):
            modules.append("module %s %d %s %s" % (name, len(data), data[:4].hex() or "-",
                                                   os.path.dirname(path)))
else:                       # GRUB from the ISO
    drive = option("-drive")   # file=<iso>,media=cdrom,...
    iso = drive[len("file="):drive.index(",media=")].replace(",,", ",")
    cmdline, *modules = open(iso).read().split("\n")
log = option("-serial")[len("file:"):].replace(",,", ",")
fixtures = os.environ["FAKE_FIXTURES"]
with open(os.environ["FAKE_CALLS"], "a") as calls:
    calls.write("%d %s %s\n" % (os.getpid(), option("-m"), cmdline))
    for module in modules:
        calls.write("%d %s %s\n" % (os.getpid(), option("-m"), module))
plays = {
    "test=cmdline,exceptions,kprintf,ktest,multiboot2,string,timer": ("pass.log", 33),
    "test=multiboot2": ("mem1g.log" if option("-m") == "1G" else "mem128.log", 33),
    "crash=panic": ("panic_boot.log", 35),
    "crash=stack": ("crash_stack.log", 35),
    "frobnicate=1 test=cmdline": ("unknown.log", 33),
    "reset": ("triple_fault.log", 0),
    "hang": ("hang.log", None),
}
name, status = plays[cmdline]
shutil.copy(os.path.join(fixtures, name), log)
if status is None:
    time.sleep(60)
sys.exit(status)
'''

HANG_SPEC = {
    "boots": {"stuck": {"cmdline": "hang", "timeout": 8}, "reset": {"cmdline": "reset"}},
    "tests": [
        {"name": "stuck: kprintf", "points": 1, "boot": "stuck", "ktap_suite": "kprintf"},
        {"name": "stuck: timer", "points": 2, "boot": "stuck", "ktap_suite": "timer"},
        {"name": "reset: runs", "points": 3, "boot": "reset", "ktap_all": True},
    ],
}

MODULE_SPEC = {
    "boots": {"bad": {"cmdline": "test=multiboot2", "modules": [
        {"name": "bad-magic", "make": "bad_magic"},
        {"name": "bad-empty", "make": "empty"},
        {"name": "bad-relocation", "make": "bad_relocation", "from": "relocs"}]}},
    "tests": [{"name": "modules: boots", "points": 1, "boot": "bad", "ktap_suite": "multiboot2"}],
}


def write(path, text, mode=0o644):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as handle:
        handle.write(text)
    os.chmod(path, mode)


def make_tree(base):
    """A repository with one lab (01-boot), tools/labs.py and lab 01's spec."""
    root = os.path.join(base, "repo")
    write(os.path.join(root, "labs", "01-boot", "Makefile"), "all:\n")
    os.makedirs(os.path.join(root, "tools"))
    shutil.copy(os.path.join(helpers.ROOT, "tools", "labs.py"), os.path.join(root, "tools"))
    os.makedirs(os.path.join(root, "grading", "specs"))
    shutil.copy(helpers.SPEC_01, os.path.join(root, "grading", "specs"))
    return root


def make_fakes(base):
    bin_dir = os.path.join(base, "bin")
    for name, text in (("make", FAKE_MAKE), ("qemu-system-x86_64", FAKE_QEMU)):
        write(os.path.join(bin_dir, name), text.replace("PYTHON", sys.executable), 0o755)
    return bin_dir


HAVE_LABS = os.path.isfile(os.path.join(helpers.ROOT, "tools", "labs.py"))


@unittest.skipUnless(HAVE_LABS, "tools/labs.py is not there yet")
class WholeRuns(unittest.TestCase):

    def setUp(self):
        self.base = tempfile.mkdtemp()
        self.root = make_tree(self.base)
        self.calls = os.path.join(self.base, "calls")
        self.env = dict(os.environ, PATH=make_fakes(self.base) + os.pathsep + os.environ["PATH"],
                        FAKE_FIXTURES=helpers.FIXTURES, FAKE_CALLS=self.calls)
        self.env.pop("BATON_TIMEOUT_SCALE", None)

    def tearDown(self):
        shutil.rmtree(self.base)

    def run_grader(self, *args, env=None):
        argv = [sys.executable, os.path.join(helpers.GRADING, "grade.py"), "--root", self.root]
        return subprocess.run(argv + list(args), env=env or self.env, cwd=self.base,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              universal_newlines=True, timeout=120)

    def calls_made(self):
        with open(self.calls) as handle:
            return [line.split(" ", 2) for line in handle.read().splitlines()]

    def test_good_kernel_scores_100(self):
        results = os.path.join(self.base, "results.json")
        done = self.run_grader("--lab", "1", "--json", results)
        self.assertEqual(done.returncode, 0, done.stdout + done.stderr)
        lines = done.stdout.splitlines()
        self.assertEqual(lines[0], "== 01-boot (snapshot 01-boot) ==")
        self.assertIn("Score: 100/100", lines)
        self.assertEqual(lines[-1], "14 passed, 0 failed")
        # Five distinct boots, each run once: the two test-only boots at
        # 128 MiB (ktest and mem128) share one.
        self.assertEqual(sorted(call[2] for call in self.calls_made()),
                         ["crash=panic", "crash=stack", "frobnicate=1 test=cmdline",
                          "test=cmdline,exceptions,kprintf,ktest,multiboot2,string,timer",
                          "test=multiboot2"])
        with open(results) as handle:
            self.assertEqual(json.load(handle)["score"], 100)
        log = os.path.join(self.root, "labs", "01-boot", "build", "grade", "tests.log")
        self.assertTrue(os.path.isfile(log))

    def test_every_lab_in_order_while_the_next_one_boots(self):
        # The second lab starts (its build, here failing) before the first
        # is scored; each lab's lines still come out whole, in order.
        write(os.path.join(self.root, "labs", "02-paging", "Makefile"), "all:\n")
        done = self.run_grader("--all", env=dict(self.env, FAKE_BUILD_FAIL="02-paging"))
        self.assertEqual(done.returncode, 1, done.stdout + done.stderr)
        lines = done.stdout.splitlines()
        first, second = (lines.index("== 01-boot (snapshot 01-boot) =="),
                         lines.index("== 02-paging (snapshot 02-paging) =="))
        self.assertIn("Score: 100/100", lines[first:second])
        self.assertIn("Score: 0/100", lines[second:])
        self.assertIn("      reason:   build failed", lines[second:])
        self.assertEqual(lines[-1], "14 passed, 14 failed")

    def test_hang_is_killed_and_reported(self):
        specs = os.path.join(self.base, "specs")
        write(os.path.join(specs, "01-boot.json"), json.dumps(HANG_SPEC))
        junit = os.path.join(self.base, "junit.xml")
        started = time.monotonic()
        done = self.run_grader("--lab", "01-boot", "--specs", specs, "--timeout-scale", "0.5",
                               "--log-dir", os.path.join(self.base, "logs"), "--junit", junit)
        self.assertLess(time.monotonic() - started, 30)
        self.assertEqual(done.returncode, 1)
        out = done.stdout
        self.assertIn("stuck: kprintf ... OK", out)
        self.assertIn("stuck: timer ... FAIL", out)
        self.assertIn("reason:   hang: no power-off within 4s; last line: 1..6", out)
        self.assertIn("reason:   triple fault or reboot (QEMU exited 0)", out)
        self.assertIn("logs/01-boot/stuck.log", out)
        self.assertEqual(out.splitlines()[-1], "1 passed, 2 failed")
        self.assertTrue(os.path.isfile(junit))
        for pid, _, cmdline in self.calls_made():
            if cmdline == "hang":
                with self.assertRaises(ProcessLookupError):
                    os.kill(int(pid), 0)  # the hung QEMU was killed

    def test_build_failure_fails_every_test(self):
        done = self.run_grader("--lab", "boot", env=dict(self.env, FAKE_BUILD_FAIL="1"))
        self.assertEqual(done.returncode, 1)
        self.assertEqual(done.stdout.count("reason:   build failed"), 14)
        self.assertIn("error: 'kmain' undeclared", done.stdout)
        self.assertIn("build.log", done.stdout)
        self.assertEqual(done.stdout.splitlines()[-1], "0 passed, 14 failed")
        self.assertFalse(os.path.exists(self.calls))  # nothing was booted

    def module_run(self, programs):
        """Grade MODULE_SPEC with these programs in build/user/; (run, module calls)."""
        specs = os.path.join(self.base, "specs")
        write(os.path.join(specs, "01-boot.json"), json.dumps(MODULE_SPEC))
        user = os.path.join(self.root, "labs", "01-boot", "build", "user")
        os.makedirs(user)
        for program in programs:
            with open(os.path.join(user, program), "wb") as handle:
                handle.write(badelf.minimal_pie())
        done = self.run_grader("--lab", "1", "--specs", specs)
        calls = self.calls_made() if os.path.exists(self.calls) else []
        return done, [call[2].split() for call in calls if call[2].startswith("module ")]

    def test_modules_are_made_passed_and_removed(self):
        done, modules = self.module_run(["hello", "relocs"])
        self.assertEqual(done.returncode, 0, done.stdout + done.stderr)
        size = str(badelf.MINIMAL_PIE_SIZE)
        self.assertEqual([module[1:4] for module in modules],
                         [["bad-magic", size, "7f454c58"], ["bad-empty", "0", "-"],
                          ["bad-relocation", size, "7f454c46"]])
        scratch = modules[0][4]
        self.assertEqual(os.path.dirname(scratch), tempfile.gettempdir())
        self.assertFalse(os.path.exists(scratch))   # removed once the boot was over

    def test_a_missing_program_fails_the_boot(self):
        done, modules = self.module_run(["hello"])
        self.assertEqual(done.returncode, 1)
        self.assertIn("reason:   could not make the boot's modules: no program ", done.stdout)
        self.assertIn(os.path.join("build", "user", "relocs"), done.stdout)
        self.assertIn("make -s -C", done.stdout)
        self.assertFalse(os.path.exists(self.calls))   # nothing was booted
        grade_dir = os.path.join(self.root, "labs", "01-boot", "build", "grade")
        self.assertEqual([n for n in os.listdir(grade_dir) if "modules" in n], [])

    def test_unknown_lab(self):
        done = self.run_grader("--lab", "nosuch")
        self.assertEqual(done.returncode, 2)
        self.assertEqual(done.stdout, "")
        self.assertEqual(len(done.stderr.splitlines()), 1)
        self.assertIn("no lab 'nosuch'", done.stderr)
        self.assertIn("01-boot", done.stderr)

    def test_bad_spec_stops_before_building(self):
        specs = os.path.join(self.base, "specs")
        write(os.path.join(specs, "01-boot.json"), '{"tests": [{"name": "x"}]}')
        done = self.run_grader("--specs", specs)
        self.assertEqual(done.returncode, 2)
        self.assertIn("01-boot.json: tests[0] 'x': needs 'points'", done.stderr)
        self.assertFalse(os.path.exists(self.calls))


class Settings(unittest.TestCase):

    def test_timeout_scale(self):
        saved = os.environ.pop(grade.SCALE_ENV, None)
        try:
            self.assertEqual(grade.timeout_scale(None), 1.0)
            self.assertEqual(grade.timeout_scale("2.5"), 2.5)
            os.environ[grade.SCALE_ENV] = "3"
            self.assertEqual(grade.timeout_scale(None), 3.0)
            self.assertEqual(grade.timeout_scale("2"), 2.0)  # the option wins
            for bad in ("0", "-1", "slow", "nan"):
                with self.assertRaises(grade.UsageError):
                    grade.timeout_scale(bad)
        finally:
            os.environ.pop(grade.SCALE_ENV, None)
            if saved is not None:
                os.environ[grade.SCALE_ENV] = saved

    def test_which_specs_a_lab_runs(self):
        specs = tempfile.mkdtemp()
        try:
            for name in ("01-boot", "02-paging", "02-paging.hidden", "03-buddy", "final"):
                write(os.path.join(specs, name + ".json"), "{}")
            self.assertEqual(grade.spec_labs_for(specs, "01-boot"), ["01-boot"])
            self.assertEqual(grade.spec_labs_for(specs, "02-paging"), ["01-boot", "02-paging"])
            self.assertEqual(grade.spec_labs_for(specs, "final"),
                             ["01-boot", "02-paging", "03-buddy", "final"])
        finally:
            shutil.rmtree(specs)


class BootPlan(unittest.TestCase):
    """Each distinct boot runs once, whatever each spec calls it."""

    def spec_with(self, lab, boots):
        tests = [{"name": name, "points": 1, "boot": name, "ktap_all": True} for name in boots]
        return spec.from_data({"boots": boots, "tests": tests}, "/specs/%s.json" % lab)

    def test_same_boot_in_two_specs_runs_once(self):
        first = self.spec_with("01-boot", {"ktest": {"cmdline": "test"}})
        second = self.spec_with("02-paging", {"all": {"cmdline": "test", "timeout": 30},
                                              "ktest": {"cmdline": "test", "memory": "1G"}})
        requests, which = grade.plan_boots([first, second], "/iso", "/logs", 2.0)
        self.assertEqual([r.name for r in requests], ["ktest", "02-paging-ktest"])
        self.assertEqual(which[("02-paging", "all")], "ktest")
        self.assertEqual(requests[0].timeout, 60.0)   # the longest timeout, scaled
        self.assertEqual(requests[0].log_path, "/logs/ktest.log")
        self.assertEqual(requests[1].memory, "1G")

    def test_test_only_boots_share_one_run(self):
        first = self.spec_with("01-boot", {"ktest": {"cmdline": "test=a,b"},
                                           "crash": {"cmdline": "crash=panic"}})
        second = self.spec_with("02-paging", {"ktest": {"cmdline": "test=b,c", "timeout": 5},
                                              "big": {"cmdline": "test=c", "memory": "1G"}})
        requests, which = grade.plan_boots([first, second], "/iso", "/logs", 1.0)
        by_name = {r.name: r for r in requests}
        self.assertEqual(sorted(by_name), ["big", "crash", "tests"])
        self.assertEqual(by_name["tests"].cmdline, "test=a,b,c")
        self.assertEqual(by_name["tests"].timeout, 15.0)       # the parts' timeouts added
        self.assertEqual(which[("01-boot", "ktest")], "tests")
        self.assertEqual(which[("02-paging", "ktest")], "tests")
        self.assertEqual([p.cmdline for p in by_name["tests"].parts], ["test=a,b", "test=b,c"])

    def test_test_only_boots_with_modules_share_one_run_with_them(self):
        data = {"name": "reserved", "make": "data"}
        first = self.spec_with("01-boot", {"ktest": {"cmdline": "test=a"}})
        second = self.spec_with("02-paging", {"ktest": {"cmdline": "test=b", "modules": [data]}})
        third = self.spec_with("03-buddy", {"ktest": {"cmdline": "test=c", "modules": [
            {"name": "reserved", "make": "truncated_header", "from": "hello"}]}})
        requests, which = grade.plan_boots([first, second, third], "/iso", "/logs", 1.0, 4)
        by_name = {r.name: r for r in requests}
        self.assertEqual(by_name["tests"].cmdline, "test=a,b")
        self.assertEqual(by_name["tests"].modules, [("reserved", "data", "hello")])
        self.assertEqual([p.modules for p in by_name["tests"].parts],
                         [[], [("reserved", "data", "hello")]])
        # A module of the same name made another way keeps its boot.
        self.assertEqual(which[("03-buddy", "ktest")], "03-buddy-ktest")
        self.assertEqual(by_name["03-buddy-ktest"].cmdline, "test=c")
        # No room for a module: no sharing.
        requests, which = grade.plan_boots([first, second], "/iso", "/logs", 1.0, 0)
        self.assertEqual(sorted(r.name for r in requests), ["02-paging-ktest", "ktest"])

    def test_a_crashed_merge_is_run_again_in_parts(self):
        first = self.spec_with("01-boot", {"ktest": {"cmdline": "test=a"}})
        second = self.spec_with("02-paging", {"ktest": {"cmdline": "test=b"}})
        requests, which = grade.plan_boots([first, second], "/iso", "/logs", 1.0)
        outcomes = {"tests": grade.score.BootOutcome("panic: x\n", 35, 1.0)}
        booted = []

        def fake_boot_all(path, parts, jobs, scale, isos=None):
            booted.extend(p.cmdline for p in parts)
            return {p.name: grade.score.BootOutcome("ok\n", 33, 1.0) for p in parts}

        options = type("Options", (), {"jobs": 1, "scale": 1.0})()
        real, grade.qemu.boot_all = grade.qemu.boot_all, fake_boot_all
        try:
            served = grade.rerun_merges("/lab", requests, outcomes, which, options)
        finally:
            grade.qemu.boot_all = real
        self.assertEqual(booted, ["test=a", "test=b"])
        self.assertEqual(served[("02-paging", "ktest")].cmdline, "test=b")

    def test_unused_boots_do_not_run(self):
        lab = spec.from_data({"boots": {"a": {}, "b": {"cmdline": "x"}},
                              "tests": [{"name": "t", "points": 1, "boot": "b", "exit": 33}]},
                             "/specs/01-boot.json")
        requests, _ = grade.plan_boots([lab], "/iso", "/logs", 1.0)
        self.assertEqual([r.name for r in requests], ["b"])


if __name__ == "__main__":
    unittest.main()
