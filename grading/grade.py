#!/usr/bin/env python3
"""Grade Baton's labs: build each snapshot, boot it in QEMU, score the logs.

Owns: the command line and the order of work. For each lab to grade:
  1. load the specs of every lab up to it (earlier labs' tests are
     regressions), with `{snapshot}` set to the lab being graded;
  2. build the snapshot (`make -s -C labs/NN-name`);
  3. make one ISO per distinct boot and run the boots, `--jobs` at a time;
  4. score every test from the saved serial logs and print the report.
The labs share one pool of workers: the next lab is built and its boots
queued (2, 3) before this one is scored (4).
Relies on tools/labs.py for lab names, spec.py, qemu.py, score.py and
report.py for the rest. See grading/README.md for the spec format.

    python3 grading/grade.py [--lab LAB | --all] [--json FILE] [--junit FILE]
        [--timeout-scale X] [--log-dir DIR] [--no-build] [--jobs N] [--root DIR]

Exit status: 0 if every test passed, 1 if any failed, 2 for a usage error
(an unknown lab, a bad spec).
"""

import argparse
import concurrent.futures
import glob
import json
import os
import re
import sys
import time

import qemu
import report
import score
import serial
import spec

HERE = os.path.dirname(os.path.abspath(__file__))
SCALE_ENV = "BATON_TIMEOUT_SCALE"


class UsageError(Exception):
    """A mistake in how the grader was called; printed as one line, exit 2."""


class Options:
    """Settings shared by every lab of one run."""

    def __init__(self, args, scale, specs_dir):
        self.build = not args.no_build
        self.jobs = args.jobs
        self.scale = scale
        self.log_root = args.log_dir
        self.specs_dir = specs_dir


def parse_args(argv):
    parser = argparse.ArgumentParser(
        description="Build, boot and score Baton's labs.",
        epilog="Timeouts are multiplied by --timeout-scale, or by $%s." % SCALE_ENV)
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--lab", help="the lab to grade: 3, 03, 03-buddy, buddy or final")
    which.add_argument("--all", action="store_true", help="grade every lab (the default)")
    parser.add_argument("--json", metavar="FILE", help="write Gradescope results.json here")
    parser.add_argument("--junit", metavar="FILE", help="write JUnit XML here")
    parser.add_argument("--timeout-scale", metavar="X", help="multiply every timeout by X")
    parser.add_argument("--log-dir", metavar="DIR",
                        help="save serial logs in DIR/<lab>/ (default: <lab>/build/grade/)")
    parser.add_argument("--no-build", action="store_true", help="do not run make first")
    parser.add_argument("--jobs", type=int, default=2, metavar="N",
                        help="boots to run at once (default 2)")
    parser.add_argument("--root", default=os.path.dirname(HERE),
                        help="the repository (default: the directory above grading/)")
    parser.add_argument("--specs", metavar="DIR",
                        help="read specs from DIR (default: ROOT/grading/specs)")
    return parser.parse_args(argv)


# --- Settings ----------------------------------------------------------------------

def timeout_scale(value):
    """The timeout multiplier: --timeout-scale, else $BATON_TIMEOUT_SCALE, else 1."""
    source = "--timeout-scale"
    if value is None:
        value, source = os.environ.get(SCALE_ENV), SCALE_ENV
    if value is None or value == "":
        return 1.0
    try:
        scale = float(value)
    except ValueError:
        scale = 0.0
    if not scale > 0:
        raise UsageError("%s must be a number > 0, not %r" % (source, value))
    return scale


def import_labs(root):
    """tools/labs.py of the repository being graded."""
    tools = os.path.join(root, "tools")
    if not os.path.isfile(os.path.join(tools, "labs.py")):
        raise UsageError("no %s: is --root the Baton repository?"
                         % os.path.join(tools, "labs.py"))
    sys.path.insert(0, tools)
    import labs
    return labs


def choose_labs(labs, root, value):
    """[(name, path)] of the labs to grade: the one named, or all of them."""
    try:
        if value is not None:
            return [labs.resolve(root, value)]
    except labs.LabError as error:
        raise UsageError(str(error))
    found = labs.list_labs(root)
    if not found:
        raise UsageError("no labs found under %s" % root)
    return found


def lab_number(name):
    """3 for `03-buddy`; None for `final` and other names without a number."""
    match = re.match(r"^(\d+)-", name)
    return int(match.group(1)) if match else None


def spec_labs_for(specs_dir, snapshot):
    """The labs whose specs apply to snapshot: every lab up to it, in order.

    final/ holds every lab's work, so it runs every spec there is.
    """
    pattern = os.path.join(glob.escape(specs_dir), "*.json")
    names = set(spec.lab_of(path) for path in glob.glob(pattern))
    infinity = float("inf")

    def order(name):
        number = lab_number(name)
        return (infinity if number is None else number, name)

    limit = lab_number(snapshot)
    return [name for name in sorted(names, key=order)
            if limit is None or (lab_number(name) is not None and lab_number(name) <= limit)
            or name == snapshot]


def display_path(path):
    """path relative to the current directory when it is inside it."""
    relative = os.path.relpath(path)
    return path if relative.startswith("..") else relative


# --- Grading one lab ---------------------------------------------------------------

def plan_boots(specs, iso_dir, log_dir, scale, module_room=0):
    """The QEMU runs the specs need, each distinct boot once.

    Returns (requests, which) where which maps (spec lab, boot name) to the
    name of the request that serves it. Two boots with the same command
    line, memory, QEMU options and modules are one run, whatever they are
    called. Boots that only run in-kernel suites (`test=a,b`) with the same
    memory share one run too (merge_suite_boots), so grading a late lab
    does not boot once per earlier lab; and so do boots that only run
    programs (merge_run_boots), with up to module_room extra modules in all.
    """
    requests, by_key, which, used_names = [], {}, {}, set()
    for one_spec in specs:
        wanted = [name for name in one_spec.boots if any(t.boot == name for t in one_spec.tests)]
        for name in wanted:
            boot = one_spec.boots[name]
            tests = [t for t in one_spec.tests if t.boot == name]
            request = by_key.get(boot.key())
            if request is None:
                run_name = _unique_name(name, one_spec.lab, used_names)
                request = qemu.BootRequest(run_name, boot.cmdline, boot.memory, boot.qemu_args,
                                           boot.timeout * scale,
                                           os.path.join(iso_dir, run_name + ".iso"),
                                           os.path.join(log_dir, run_name + ".log"),
                                           boot.modules, boot.host_tests)
                request.input, request.input_after = boot.input, boot.input_after
                request.loader = boot.loader
                # A GRUB boot is there to boot the ISO: it is never merged.
                grub = boot.loader == "grub"
                request.suites = None if grub else suites_of(boot)
                request.programs = None if grub else programs_of(boot, tests)
                request.members = []
                by_key[boot.key()] = request
                requests.append(request)
            elif programs_of(boot, tests) is None:
                request.programs = None
            request.timeout = max(request.timeout, boot.timeout * scale)
            request.members.append((one_spec.lab, name))
            which[(one_spec.lab, name)] = request.name
    requests = merge_suite_boots(requests, which, iso_dir, log_dir, used_names, module_room)
    return merge_run_boots(requests, which, iso_dir, log_dir, used_names, module_room), which


# A boot that does nothing but run in-kernel suites: `test` or `test=a,b`.
SUITE_BOOT_RE = re.compile(r"^test(?:=([A-Za-z0-9_]+(?:,[A-Za-z0-9_]+)*))?$")
# A boot that does nothing but run programs: `run=a,b,c`.
RUN_BOOT_RE = re.compile(r"^run=([A-Za-z0-9_.-]+(?:,[A-Za-z0-9_.-]+)*)$")
# The checks a test of a shared program run may make: lines its own
# programs print (and the run's last lines). An exit status, a first line, a
# usable-memory figure or a line that must not appear belong to a whole boot.
RUN_MERGE_CHECKS = ("line",)
# A shared program run's command line stays well under the kernel's 1023
# characters, and its ISO under the kernel's module limit (module_room).
RUN_MERGE_CMDLINE = 800


def suites_of(boot):
    """The suites a test-only boot asks for ([] for all of them), or None
    for a boot that does anything else (programs, crashes, QEMU options).
    Its extra modules, if any, go with it into a shared run."""
    match = SUITE_BOOT_RE.match(boot.cmdline.strip())
    if not match or boot.qemu_args or boot.expect_panic or boot.host_tests \
            or boot.input is not None:
        return None
    return match.group(1).split(",") if match.group(1) else []


def programs_of(boot, tests):
    """The programs a run-only boot runs, if it can share a run with others:
    no QEMU options, no panic expected, no typed input, and tests that only look for lines
    (RUN_MERGE_CHECKS). None otherwise."""
    match = RUN_BOOT_RE.match(boot.cmdline.strip())
    if not match or boot.qemu_args or boot.expect_panic or boot.host_tests \
            or boot.input is not None:
        return None
    if any(set(test.checks) - set(RUN_MERGE_CHECKS) for test in tests):
        return None
    return match.group(1).split(",")


def merge_suite_boots(requests, which, iso_dir, log_dir, used_names, module_room=0):
    """Replace test-only requests that differ only in their suites by one
    request that runs them all, with every part's extra modules (a suite
    that needs a module gets it; the others do not mind one more). Each
    merged request keeps its parts: if the merged boot crashes or hangs,
    grade_lab runs the parts one by one so that the blame lands on the
    right suites."""
    groups, alone = {}, []
    for request in requests:
        if request.suites is not None:
            groups.setdefault(request.memory, []).append(request)
    for memory, parts in groups.items():
        # Parts whose modules cannot join the others' (a name made two
        # ways, no room for more) keep their own boots.
        modules = {}
        for part in [p for p in parts if p.modules]:
            union = dict(modules)
            if all(union.setdefault(m[0], m) == m for m in part.modules) \
                    and len(union) <= max(module_room, 0):
                modules = union
            else:
                parts.remove(part)
                alone.append(part)
    result = [r for r in requests if r.suites is None] + alone
    for memory, parts in groups.items():
        if len(parts) <= 1:
            result += parts
            continue
        names, modules = [], []
        for part in parts:
            names += [s for s in part.suites if s not in names]
            modules += [m for m in part.modules if m not in modules]
        everything = any(not part.suites for part in parts)
        run_name = _unique_name("tests" if memory == spec.DEFAULT_MEMORY else "tests-" + memory,
                                "all", used_names)
        merged = qemu.BootRequest(run_name, "test" if everything else "test=" + ",".join(names),
                                  memory, [], shared_timeout(parts),
                                  os.path.join(iso_dir, run_name + ".iso"),
                                  os.path.join(log_dir, run_name + ".log"), modules)
        merged.suites, merged.parts, merged.programs = names, parts, None
        merged.members = [m for p in parts for m in p.members]
        for member in merged.members:
            which[member] = run_name
        result.append(merged)
    return result


def shared_timeout(parts):
    """The timeout of a run shared by parts: their sum, but at most twice the
    longest. A shared run that times out is followed by each part alone with
    its own timeout, so this limit changes no verdict; it only decides how
    long a hang keeps the student waiting before that."""
    timeouts = [part.timeout for part in parts]
    return min(sum(timeouts), 2 * max(timeouts))


def merge_run_boots(requests, which, iso_dir, log_dir, used_names, module_room):
    """Replace program-only requests with the same memory by runs of all
    their programs, one list after the other (`run=` of every part's list,
    in order), with every part's extra modules on one ISO.

    A part's tests are then scored on its own stretch of the shared log
    (slice_runs). A part is booted alone, as its spec says, when the shared
    run did not end cleanly or when one of its tests fails there: a
    failure's blame is always that of the part's own boot.
    """
    result, groups = [], {}
    for request in requests:
        if getattr(request, "programs", None) is not None:
            groups.setdefault(request.memory, []).append(request)
        else:
            result.append(request)
    for memory, parts in groups.items():
        for batch in _batches(parts, module_room):
            if len(batch) == 1:
                result.append(batch[0])
                continue
            run_name = _unique_name("programs" if memory == spec.DEFAULT_MEMORY
                                    else "programs-" + memory, "all", used_names)
            modules = []
            for part in batch:
                modules += [m for m in part.modules if m not in modules]
            merged = qemu.BootRequest(
                run_name, "run=" + ",".join(n for p in batch for n in p.programs), memory, [],
                shared_timeout(batch),
                os.path.join(iso_dir, run_name + ".iso"),
                os.path.join(log_dir, run_name + ".log"), modules)
            merged.suites, merged.programs, merged.parts = None, None, batch
            merged.members = [m for p in batch for m in p.members]
            for member in merged.members:
                which[member] = run_name
            result.append(merged)
    return result


def _batches(parts, module_room):
    """parts in order, cut into lists that fit one shared run: a command
    line of at most RUN_MERGE_CMDLINE characters, at most module_room extra
    modules, no two modules of one name made differently."""
    batches, batch = [], []
    for part in parts:
        if batch and not _fits(batch + [part], module_room):
            batches.append(batch)
            batch = []
        batch.append(part)
    if batch:
        batches.append(batch)
    return batches


def _fits(batch, module_room):
    cmdline = "run=" + ",".join(n for p in batch for n in p.programs)
    modules = {}
    for part in batch:
        for module in part.modules:
            if modules.setdefault(module[0], module) != module:
                return False
    return len(cmdline) <= RUN_MERGE_CMDLINE and len(modules) <= max(module_room, 0) \
        or len(batch) == 1


def _proc_re(program):
    """A program's end line: `proc <pid> <name>: ...` or `proc - <name>: ...`."""
    return re.compile(r"^proc (?:\d+|-) %s: " % re.escape(program))


def slice_runs(outcome, parts):
    """{part name: BootOutcome} of a shared program run: each part sees the
    lines from the end of the previous part's last program to the end of
    its own last program (the first part also sees the boot's first lines),
    then the run's closing lines (`run: done, ...`). None when the log
    cannot be cut that way: a program never ended, or a program's name
    ends more often than the list runs it (a child of that name)."""
    lines = serial.split_lines(outcome.log_text)
    wanted = [name for part in parts for name in part.programs]
    for name in set(wanted):
        pattern = _proc_re(name)
        if sum(1 for line in lines if pattern.match(line)) != wanted.count(name):
            return None
    cuts, cursor = [], 0
    for part in parts:
        for name in part.programs:
            pattern = _proc_re(name)
            while cursor < len(lines) and not pattern.match(lines[cursor]):
                cursor += 1
            if cursor == len(lines):
                return None
            cursor += 1
        cuts.append(cursor)
    closing = lines[cuts[-1]:]
    slices, start = {}, 0
    for part, end in zip(parts, cuts):
        text = "\n".join(lines[start:end] + closing) + "\n"
        slices[part.name] = score.BootOutcome(
            text, outcome.exit_status, outcome.wall, outcome.timed_out, outcome.timeout,
            stderr=outcome.stderr, log_path=outcome.log_path)
        start = end
    return slices


def _unique_name(name, lab, used):
    """A log file name: the boot's own, or prefixed by its lab if taken."""
    candidate, counter = name, 2
    if candidate in used:
        candidate = "%s-%s" % (lab, name)
    while candidate in used:
        candidate, counter = "%s-%s-%d" % (lab, name, counter), counter + 1
    used.add(candidate)
    return candidate


def failed_build_outcomes(requests, output, build_log):
    """Every boot of a lab that did not build: failed, with the build's tail."""
    return {request.name: score.BootOutcome(error="build failed", error_output=output,
                                            log_path=display_path(build_log))
            for request in requests}


class LabRun:
    """One lab on its way through the grader: start_lab plans, builds and
    queues its boots; finish_lab waits for them and scores."""

    def __init__(self, name, path, specs, log_dir):
        self.name, self.path, self.specs, self.log_dir = name, path, specs, log_dir
        self.requests, self.which = [], {}
        self.futures, self.notes = {}, []
        self.outcomes = None  # set at once when there is nothing to boot


def start_lab(name, path, specs, options, pool):
    """A LabRun: its boots planned, the lab built, its boots queued on pool
    (a thread pool shared by the labs of one grade, so that the next lab's
    boots start while this one's last are running)."""
    log_dir = os.path.join(options.log_root, name) if options.log_root else \
        os.path.join(path, "build", "grade")
    iso_dir = os.path.join(path, "build", "grade")
    for directory in (log_dir, iso_dir):
        os.makedirs(directory, exist_ok=True)
    run = LabRun(name, path, specs, log_dir)
    run.requests, run.which = plan_boots(specs, iso_dir, log_dir, options.scale,
                                         module_room(path))
    if not run.requests:
        run.outcomes = {}
        return run
    if options.build:
        ok, output = qemu.build(path, options.scale)
        build_log = os.path.join(log_dir, "build.log")
        with open(build_log, "w", encoding="utf-8") as handle:
            handle.write("\n".join(output) + "\n")
        if not ok:
            run.outcomes = failed_build_outcomes(run.requests, output, build_log)
            return run
    guess_costs(run.requests, os.path.join(log_dir, TIMES_FILE))
    run.futures, run.notes = qemu.start_boots(path, run.requests, pool, options.scale)
    return run


def boot_outcomes(run):
    """{request name: BootOutcome} of a started lab, once its boots are done."""
    if run.outcomes is not None:
        return run.outcomes
    for note in run.notes:
        print("  " + note, flush=True)
    outcomes = qemu.finish_boots(run.requests, run.futures)
    for request in run.requests:
        if os.path.exists(request.log_path):  # not when its ISO failed
            outcomes[request.name].log_path = display_path(request.log_path)
    save_costs(outcomes, os.path.join(run.log_dir, TIMES_FILE))
    return outcomes


# How long each boot took last time (seconds, by request name): the longest
# start first, so that the workers finish together.
TIMES_FILE = "boot-times.json"


def guess_costs(requests, path):
    """Set each request's cost: its last wall time, else its timeout."""
    try:
        with open(path, encoding="utf-8") as handle:
            last = json.load(handle)
    except (OSError, ValueError):
        last = {}
    for request in requests:
        wall = last.get(request.name) if isinstance(last, dict) else None
        request.cost = wall if isinstance(wall, (int, float)) else request.timeout


def save_costs(outcomes, path):
    walls = {name: round(o.wall, 2) for name, o in outcomes.items() if o.ran and o.wall}
    try:
        with open(path, "w", encoding="utf-8") as handle:
            json.dump(walls, handle, indent=0, sort_keys=True)
    except OSError:
        pass   # only an ordering hint


def module_room(path):
    """How many extra modules a shared program run may add to a lab's ISO:
    the kernel's MB2_MAX_MODULES less the lab's own programs; 0 when the
    lab does not say (its modules are then never shared)."""
    limit = 0
    for header in glob.glob(os.path.join(glob.escape(path), "kernel", "multiboot2.h")):
        try:
            with open(header, encoding="utf-8", errors="replace") as handle:
                match = re.search(r"#define\s+MB2_MAX_MODULES\s+(\d+)", handle.read())
        except OSError:
            match = None
        limit = int(match.group(1)) if match else 0
    programs = [d for d in glob.glob(os.path.join(glob.escape(path), "user", "*", ""))
                if os.path.basename(os.path.dirname(d)) != "lib"]
    return max(0, limit - len(programs))


def finish_lab(run, options):
    """The TestResults of a started lab, scored against its specs."""
    outcomes = boot_outcomes(run)
    served = rerun_merges(run.path, run.requests, outcomes, run.which, options, run.specs,
                          run.name)
    results = []
    for one_spec in run.specs:
        logs = {}  # boot name -> BootLog, read once per boot
        for test in one_spec.tests:
            if test.boot not in logs:
                request = served[(one_spec.lab, test.boot)]
                logs[test.boot] = boot_log(request, outcomes, one_spec.boots[test.boot])
            results.append(score.score_test(test, logs[test.boot], run.name, options.scale))
    return results


def grade_lab(name, path, specs, options):
    """The TestResults of one snapshot, scored against the given specs."""
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=options.jobs)
    try:
        return finish_lab(start_lab(name, path, specs, options, pool), options)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def boot_log(request, outcomes, boot):
    """The BootLog of boot, read from the run of request that serves it."""
    # In a merged test run, "all passed" means this boot's own suites.
    own = suites_of(boot) if getattr(request, "parts", None) else None
    return score.BootLog(outcomes[request.name], boot, suites=own or None)


def ended_cleanly(outcome):
    """True if a boot powered itself off without a panic."""
    return outcome.powered_off and not any(
        line.startswith("panic: ") for line in outcome.log_text.splitlines())


def _forget_logs(parts):
    """Remove the logs earlier grades left for parts served by a shared run,
    so that no old log is taken for this grade's."""
    for part in parts:
        qemu.remove_quietly(part.log_path)


def rerun_merges(path, requests, outcomes, which, options, specs=(), snapshot=""):
    """{(spec lab, boot name): request that serves it}, after booting alone
    the parts of merged runs that need it, for blame that points the right way:

    - a merged test run that crashed or hung: every part (one suite's crash
      then costs only that suite's tests);
    - a shared program run that did not end cleanly, or whose log cannot be
      cut per part: every part;
    - otherwise each part of a shared program run is served by its stretch of
      the log (slice_runs), and a part with a failing test there is booted
      alone, so that its verdict is the one its own boot gives.
    """
    by_name = {request.name: request for request in requests}
    served = {member: by_name[name] for member, name in which.items() if name in by_name}
    tests = {}
    for one_spec in specs:
        for test in one_spec.tests:
            tests.setdefault((one_spec.lab, test.boot), (one_spec.boots[test.boot], []))[1] \
                .append(test)
    again, notes = [], []
    for request in requests:
        parts = getattr(request, "parts", None)
        outcome = outcomes.get(request.name)
        if not parts or outcome is None or outcome.error == "build failed":
            continue
        if not outcome.ran:
            if request.suites is None:
                # One part's modules could not be made, say: the others
                # must not fail for it.
                again += parts
                notes.append("the shared run %s could not start: booting its %d parts "
                             "one by one" % (request.name, len(parts)))
            continue
        clean = ended_cleanly(outcome)
        if request.suites is not None:      # a merged test run
            if clean:
                _forget_logs(parts)         # it serves every part
            else:
                again += parts
                notes.append("the merged boot %s did not end cleanly: booting its %d parts "
                             "one by one" % (request.name, len(parts)))
            continue
        slices = slice_runs(outcome, parts) if clean else None
        if slices is None:
            again += parts
            notes.append("the shared run %s %s: booting its %d parts one by one"
                         % (request.name, "could not be cut per boot" if clean
                            else "did not end cleanly", len(parts)))
            continue
        failing = []
        _forget_logs(parts)
        for part in parts:
            outcomes[part.name] = slices[part.name]
            for member in part.members:
                served[member] = part
                boot, own = tests.get(member, (None, []))
                log = score.BootLog(slices[part.name], boot)
                if any(not score.score_test(t, log, snapshot, options.scale).passed
                       for t in own) and part not in failing:
                    failing.append(part)
        if failing:
            again += failing
            notes.append("%s failed in the shared run %s: booting %s alone"
                         % (", ".join(p.name for p in failing), request.name,
                            "it" if len(failing) == 1 else "them"))
    if not again:
        return served
    for note in notes:
        print("  (%s)" % note, flush=True)
    outcomes.update(qemu.boot_all(path, again, options.jobs, options.scale))
    for part in again:
        if os.path.exists(part.log_path):
            outcomes[part.name].log_path = display_path(part.log_path)
        for member in part.members:
            served[member] = part
    return served


# --- The whole run -------------------------------------------------------------------

def load_all(targets, options):
    """[(name, path, specs, notes)] for every lab, loaded before any build,
    so that a bad spec stops the grader at once."""
    planned = []
    for name, path in targets:
        spec_labs = spec_labs_for(options.specs_dir, name)
        notes = []
        if name not in spec_labs:
            notes.append("(no spec %s.json in %s: only earlier labs' tests run)"
                         % (name, display_path(options.specs_dir)))
        planned.append((name, path, spec.load_specs(options.specs_dir, spec_labs, name), notes))
    return planned


def grade(argv=None):
    """Run the grader; return its exit status."""
    args = parse_args(argv)
    started = time.monotonic()
    root = os.path.abspath(args.root)
    try:
        scale = timeout_scale(args.timeout_scale)
        if args.jobs < 1:
            raise UsageError("--jobs must be at least 1")
        labs = import_labs(root)
        targets = choose_labs(labs, root, args.lab)
        options = Options(args, scale, args.specs or os.path.join(root, "grading", "specs"))
        planned = load_all(targets, options)
    except (UsageError, spec.SpecError) as error:
        print(error, file=sys.stderr)
        return 2

    painter = report.Painter(sys.stdout.isatty() and "NO_COLOR" not in os.environ)
    everything = []
    # One pool of workers for every lab, and the next lab started (built, its
    # boots queued) before this one is scored: no worker waits at a lab's end.
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=options.jobs)
    try:
        following = None
        for index, (name, path, specs, notes) in enumerate(planned):
            print(painter.paint(report.lab_header(name), report.BOLD), flush=True)
            run = following or start_lab(name, path, specs, options, pool)
            following = start_lab(*planned[index + 1][:3], options, pool) \
                if index + 1 < len(planned) else None
            results = finish_lab(run, options)
            # The header was printed before the slow part, so leave it out here.
            print("\n".join(report.lab_lines(name, results, painter, notes)[1:]), flush=True)
            everything += results
    except BaseException:
        qemu.stop_all()  # the next lab's boots too, or shutdown would wait for them
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)

    elapsed = time.monotonic() - started
    if args.json:
        report.write_json(args.json, everything, elapsed)
    if args.junit:
        report.write_junit(args.junit, everything, elapsed)
    print(report.summary_line(everything))
    return 0 if all(result.passed for result in everything) else 1


def main():
    try:
        return grade()
    except KeyboardInterrupt:
        qemu.stop_all()
        print("\ninterrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
