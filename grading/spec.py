"""Test specs: loading and checking the JSON files in grading/specs/.

Owns: the spec format (documented in grading/README.md), `{snapshot}`
substitution, and error messages that point at the exact bad entry. Relies
on memlayout.py for memory sizes. Nothing here boots or scores anything.

A spec file belongs to one lab: `specs/01-boot.json`, plus any extra files
`specs/01-boot.<anything>.json` (an instructor's hidden tests, say). Its
boots say how to start QEMU; its tests say what each boot must show.
"""

import glob
import json
import os
import re

import badelf
import memlayout

DEFAULT_MEMORY = "128M"
DEFAULT_TIMEOUT = 10.0

# Keys a person may add anywhere to explain an entry; the grader ignores them.
NOTE_KEYS = ("description", "comment")

SPEC_KEYS = ("boots", "tests") + NOTE_KEYS
BOOT_KEYS = ("cmdline", "memory", "timeout", "qemu_args", "expect_exit",
             "expect_panic", "modules", "host_tests", "input", "input_after",
             "loader") + NOTE_KEYS
# `loader`: "grub" boots this one from the ISO through GRUB, as `make qemu`
# does; every other boot goes through the grader's own Multiboot2 loader
# (grading/mbload.c), which is four times faster. LOADERS are the values.
LOADERS = ("grub", "mbload")
# `input` (lab 06 on): text the grader types into the serial port (COM1's
# receive side) once the boot has printed a line matching the regular
# expression `input_after`, or, without it, once the first line is out.
# `host_tests`: the host tests (["buddy", "heap"]: host/buddy_host_test.c...)
# the grader runs instead of a boot, with `make -C host test QUICK=1 ONLY=...`:
# the kernel's files built natively under the sanitizers, a tenth of the
# random operations `make test` runs, no fuzzing. Its output is the boot's
# log; it ends "N passed, M failed".
# An extra boot module: a malformed program the grader makes (badelf.py)
# from one of the lab's built programs, build/user/<from>.
MODULE_KEYS = ("name", "make", "from") + NOTE_KEYS
DEFAULT_MODULE_SOURCE = "hello"
# Besides the bad ELF kinds: `data`, a module of plain bytes made from no
# program (for labs before programs exist: memory the kernel must keep).
DATA_MODULE = "data"
# A module's name is also a program name on the kernel command line
# (`run=a,b`) and a file name on the ISO: no commas, spaces or slashes.
MODULE_NAME_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,62}")   # the whole name
# `given`: true for a test the handout of its lab passes as handed out (it
# checks code the lab gives, not code the student writes); the handout check
# expects every other test of the lab to fail until the student's work is in.
# `snapshots`: the snapshots a test applies to (by name, `04-usermode`),
# for a test of a lab's own ABI that later labs replace; without it a test
# applies to its lab and every later one.
TEST_KEYS = ("name", "points", "boot", "hint", "given", "snapshots") + NOTE_KEYS
# The checks a test may make; all of a test's checks must hold.
CHECK_KEYS = ("ktap_suite", "ktap_case", "ktap_all", "line", "first_line",
              "no_line", "exit", "mem_kib")
MEM_KEYS = ("expect_kib", "expect", "tolerance_pct")
MEM_EXPECTATIONS = ("ram_minus_holes",)


class SpecError(Exception):
    """A spec that cannot be used; str() says which file and which entry."""


class BootSpec:
    """One way to boot the kernel, named in a spec's `boots`."""

    def __init__(self, spec_lab, name, fields):
        self.spec_lab = spec_lab
        self.name = name
        self.cmdline = fields.get("cmdline", "")
        self.memory = fields.get("memory", DEFAULT_MEMORY)
        self.memory_kib = memlayout.parse_size(self.memory)
        self.timeout = float(fields.get("timeout", DEFAULT_TIMEOUT))
        self.qemu_args = list(fields.get("qemu_args", []))
        self.expect_panic = bool(fields.get("expect_panic", False))
        # A boot that panics on purpose still powers off with 0x11 (35).
        self.expect_exit = fields.get("expect_exit", 35 if self.expect_panic else None)
        # [(module name, badelf kind, program it is made from)], in order.
        self.modules = [(m["name"], m["make"], m.get("from", DEFAULT_MODULE_SOURCE))
                        for m in fields.get("modules", [])]
        self.host_tests = tuple(fields["host_tests"]) if "host_tests" in fields else None
        self.input = fields.get("input")
        self.input_after = fields.get("input_after")
        self.loader = fields.get("loader", "mbload")

    def key(self):
        """What makes two boots the same QEMU run, so it is done once."""
        return (self.cmdline, self.memory_kib, tuple(self.qemu_args), tuple(self.modules),
                self.host_tests, self.input, self.input_after, self.loader)


class TestSpec:
    """One scored test: a name, points, the boot it reads, its checks."""

    def __init__(self, spec_lab, fields):
        self.spec_lab = spec_lab
        self.name = fields["name"]
        self.points = fields["points"]
        self.boot = fields["boot"]
        self.hint = fields.get("hint")
        self.given = bool(fields.get("given", False))
        self.snapshots = fields.get("snapshots")  # None: every snapshot
        self.checks = {key: fields[key] for key in CHECK_KEYS if key in fields}


class Spec:
    """One spec file: the lab it belongs to, its boots and its tests."""

    def __init__(self, lab, path, boots, tests):
        self.lab = lab
        self.path = path
        self.boots = boots    # name -> BootSpec
        self.tests = tests    # [TestSpec], in file order


# --- Finding and reading files ----------------------------------------------

def spec_files(specs_dir, lab):
    """The spec files of lab: `<lab>.json` first, then `<lab>.*.json` sorted."""
    main = os.path.join(specs_dir, lab + ".json")
    extra = sorted(glob.glob(os.path.join(glob.escape(specs_dir), lab + ".*.json")))
    return ([main] if os.path.isfile(main) else []) + extra


def lab_of(path):
    """`01-boot` for `specs/01-boot.json` and `specs/01-boot.hidden.json`."""
    return os.path.basename(path).split(".", 1)[0]


def load_specs(specs_dir, labs, snapshot):
    """Every spec of the labs named (in that order), for grading snapshot."""
    specs = []
    for lab in labs:
        for path in spec_files(specs_dir, lab):
            specs.append(load(path, snapshot))
    return specs


def load(path, snapshot):
    """Read, substitute and check one spec file; raise SpecError if bad."""
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except OSError as error:
        raise SpecError("%s: cannot read: %s" % (path, error.strerror))
    except ValueError as error:  # json.JSONDecodeError, or bad UTF-8
        raise SpecError("%s: not valid JSON: %s" % (path, error))
    loaded = from_data(substitute(data, snapshot), path)
    loaded.tests = [test for test in loaded.tests
                    if test.snapshots is None or snapshot in test.snapshots]
    return loaded


def substitute(value, snapshot):
    """value with `{snapshot}` replaced in every string inside it."""
    if isinstance(value, str):
        return value.replace("{snapshot}", snapshot)
    if isinstance(value, list):
        return [substitute(item, snapshot) for item in value]
    if isinstance(value, dict):
        return {key: substitute(item, snapshot) for key, item in value.items()}
    return value


# --- Checking ----------------------------------------------------------------

def from_data(data, path):
    """A Spec from parsed JSON, after checking every entry."""
    where = _Where(path)
    _expect(isinstance(data, dict), where, "the file must hold a JSON object")
    _known_keys(data, SPEC_KEYS, where)
    boots = _check_boots(data.get("boots", {}), where.at("boots"))
    tests = _check_tests(data.get("tests", []), boots, where.at("tests"))
    lab = lab_of(path)
    return Spec(lab, path, {name: BootSpec(lab, name, fields) for name, fields in boots.items()},
                [TestSpec(lab, fields) for fields in tests])


class _Where:
    """A path into the spec for error messages: `file: tests[3] 'name'`."""

    def __init__(self, path, parts=()):
        self.path = path
        self.parts = parts

    def at(self, part):
        return _Where(self.path, self.parts + (part,))

    def __str__(self):
        inside = "".join(p if p.startswith("[") else "." + p for p in self.parts).lstrip(".")
        return "%s: %s" % (self.path, inside) if inside else self.path


def _fail(where, message):
    raise SpecError("%s: %s" % (where, message))


def _expect(condition, where, message):
    if not condition:
        _fail(where, message)


def _known_keys(entry, allowed, where):
    for key in entry:
        if key not in allowed:
            _fail(where, "unknown key '%s' (known keys: %s)" % (key, ", ".join(allowed)))


def _is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def _check_boots(boots, where):
    _expect(isinstance(boots, dict), where, "must be an object: boot name -> boot")
    for name, boot in boots.items():
        _check_boot(boot, where.at(name))
    return boots


def _check_boot(boot, where):
    _expect(isinstance(boot, dict), where, "a boot must be an object")
    _known_keys(boot, BOOT_KEYS, where)
    _expect(isinstance(boot.get("cmdline", ""), str), where, "'cmdline' must be a string")
    try:
        memlayout.parse_size(boot.get("memory", DEFAULT_MEMORY))
    except ValueError as error:
        _fail(where.at("memory"), str(error))
    timeout = boot.get("timeout", DEFAULT_TIMEOUT)
    _expect(_is_number(timeout) and timeout > 0, where, "'timeout' must be seconds > 0")
    args = boot.get("qemu_args", [])
    _expect(isinstance(args, list) and all(isinstance(a, str) for a in args),
            where, "'qemu_args' must be a list of strings")
    _expect(_is_int(boot.get("expect_exit", 0)), where, "'expect_exit' must be an integer")
    _expect(isinstance(boot.get("expect_panic", False), bool), where,
            "'expect_panic' must be true or false")
    _check_modules(boot.get("modules", []), where.at("modules"))
    _expect(boot.get("loader", LOADERS[1]) in LOADERS, where,
            "'loader' must be one of %s" % ", ".join('"%s"' % n for n in LOADERS))
    _expect(isinstance(boot.get("input", ""), str), where, "'input' must be a string")
    after = boot.get("input_after")
    if after is not None:
        _expect(isinstance(after, str), where, "'input_after' must be a regular expression")
        _expect("input" in boot, where, "'input_after' without 'input'")
        try:
            re.compile(after)
        except re.error as error:
            _fail(where.at("input_after"), "not a regular expression: %s" % error)
    host = boot.get("host_tests", ["x"])    # (absent: nothing to check)
    _expect(isinstance(host, list) and host and
            all(isinstance(n, str) and re.fullmatch(r"[a-z0-9_]+", n) for n in host),
            where.at("host_tests"), "must be a list of host test names, like [\"buddy\", \"heap\"]"
            " (for host/buddy_host_test.c and host/heap_host_test.c)")


def _check_modules(modules, where):
    """A list of {"name": "bad-magic", "make": "bad_magic"[, "from": "hello"]}."""
    _expect(isinstance(modules, list), where, "must be a list of modules like "
            "{\"name\": \"bad-magic\", \"make\": \"bad_magic\"}")
    seen = set()
    for index, module in enumerate(modules):
        here = where.at("[%d]" % index)
        _expect(isinstance(module, dict), here, "a module must be an object like "
                "{\"name\": \"bad-magic\", \"make\": \"bad_magic\"}")
        _known_keys(module, MODULE_KEYS, here)
        _expect("name" in module, here, "needs a 'name' (the module's name, e.g. \"bad-magic\")")
        _expect("make" in module, here, "needs 'make' (a kind of bad ELF file: %s)"
                % ", ".join(sorted(badelf.KINDS)))
        for key in ("name", "from"):
            value = module.get(key, DEFAULT_MODULE_SOURCE)
            _expect(isinstance(value, str) and MODULE_NAME_RE.fullmatch(value), here.at(key),
                    "must be a program name (1 to 63 letters, digits, '-', '_' or '.', "
                    "starting with a letter or digit), not %s" % json.dumps(value))
        _expect(module["name"] not in seen, here, "a second module named '%s'" % module["name"])
        seen.add(module["name"])
        kind = module.get("make")
        _expect(isinstance(kind, str) and (kind in badelf.KINDS or kind == DATA_MODULE),
                here.at("make"), "must be a kind of bad ELF file (%s) or '%s', not %s"
                % (", ".join(sorted(badelf.KINDS)), DATA_MODULE, json.dumps(kind)))


def _check_tests(tests, boots, where):
    _expect(isinstance(tests, list), where, "must be a list of tests")
    seen = set()
    for index, test in enumerate(tests):
        here = where.at("[%d]" % index)
        _expect(isinstance(test, dict), here, "a test must be an object")
        if isinstance(test.get("name"), str):
            here = where.at("[%d] '%s'" % (index, test["name"]))
        _check_test(test, boots, here)
        _expect(test["name"] not in seen, here, "a second test with this name")
        seen.add(test["name"])
    return tests


def _check_test(test, boots, where):
    _known_keys(test, TEST_KEYS + CHECK_KEYS, where)
    _expect(isinstance(test.get("name"), str) and test["name"].strip(), where,
            "needs a 'name' (a non-empty string)")
    _expect(_is_number(test.get("points")) and test["points"] >= 0, where,
            "needs 'points' (a number >= 0)")
    _expect(test.get("boot") in boots, where, "'boot' must name one of the boots: %s"
            % (", ".join(sorted(boots)) or "(none defined)"))
    _expect(isinstance(test.get("hint", ""), str), where, "'hint' must be a string")
    _expect(isinstance(test.get("given", False), bool), where, "'given' must be true or false")
    snapshots = test.get("snapshots", ["x"])
    _expect(isinstance(snapshots, list) and snapshots
            and all(isinstance(name, str) and name for name in snapshots), where,
            "'snapshots' must be a non-empty list of snapshot names")
    checks = [key for key in CHECK_KEYS if key in test]
    _expect(checks, where, "needs at least one check: %s" % ", ".join(CHECK_KEYS))
    for key in checks:
        CHECKERS[key](test[key], where.at(key))


def _check_regex(value, where):
    _expect(isinstance(value, str), where, "must be a regular expression (a string)")
    try:
        re.compile(value)
    except re.error as error:
        _fail(where, "bad regular expression %r: %s" % (value, error))


def _check_regexes(value, where):
    """A regex, or a list of them (each must hold)."""
    items = value if isinstance(value, list) else [value]
    _expect(items, where, "must not be an empty list")
    for item in items:
        _check_regex(item, where)


def _check_suite(value, where):
    _expect(isinstance(value, str) and value, where, "must be a suite name")


def _check_case(value, where):
    _expect(isinstance(value, list) and len(value) == 2
            and all(isinstance(v, str) and v for v in value),
            where, "must be [\"suite\", \"case\"]")


def _check_true(value, where):
    _expect(value is True, where, "must be true")


def _check_exit(value, where):
    _expect(_is_int(value) and 0 <= value <= 255, where, "must be an exit status (0..255)")


def _check_mem(value, where):
    _expect(isinstance(value, dict), where, "must be an object like "
            "{\"expect\": \"ram_minus_holes\", \"tolerance_pct\": 1}")
    _known_keys(value, MEM_KEYS, where)
    has_kib, has_rule = "expect_kib" in value, "expect" in value
    _expect(has_kib != has_rule, where, "needs exactly one of 'expect_kib' and 'expect'")
    if has_kib:
        _expect(_is_int(value["expect_kib"]) and value["expect_kib"] > 0, where,
                "'expect_kib' must be a positive integer")
    else:
        _expect(value["expect"] in MEM_EXPECTATIONS, where, "'expect' must be one of: %s"
                % ", ".join(MEM_EXPECTATIONS))
    tolerance = value.get("tolerance_pct", 1)
    _expect(_is_number(tolerance) and tolerance >= 0, where,
            "'tolerance_pct' must be a number >= 0")


CHECKERS = {
    "ktap_suite": _check_suite,
    "ktap_case": _check_case,
    "ktap_all": _check_true,
    "line": _check_regexes,
    "first_line": _check_regex,
    "no_line": _check_regexes,
    "exit": _check_exit,
    "mem_kib": _check_mem,
}
