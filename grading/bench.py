#!/usr/bin/env python3
"""Baton's benchmarks: `make bench [LAB=n]`.

Boots a snapshot with the kernel command line `bench` under QEMU's
`-icount shift=0,sleep=off`. In that mode the guest's TSC advances by one
for each instruction it executes, so the kernel's rdtsc differences are
exact instruction counts: the same on every run, on every host. The kernel
prints `bench: <name> <value> <unit>` lines (docs/design.md); this script
collects them into one table per snapshot (a row per benchmark: the lab
whose own file defines it, its figure at each memory size, its target)
and a JSON file, and compares each figure with its target in
bench-targets.json, when it has one. final/ inherits every lab's
benchmarks, so `make bench LAB=final` is every figure in one table.

    python3 grading/bench.py [--lab LAB | --all] [--json FILE] [--memory 128M,4G]

Exit status: 0 when every lab booted and reported, 1 otherwise, 2 for a
bad LAB. Relies on qemu.py (build, ISO, QEMU command) and tools/labs.py.
"""

import argparse
import json
import os
import re
import sys
import tempfile

import qemu

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "tools"))
import labs  # noqa: E402

BENCH_LINE = re.compile(r"^bench: (\S+) (\d+) (\S+)\s*$")
ICOUNT = ["-icount", "shift=0,sleep=off"]
BOOT_TIMEOUT = 120


def load_targets():
    """(targets, exercises): {name: instructions}, {name: why it is still open}.

    A target the reference kernel does not meet yet is an exercise: make
    bench says so, with what to try, instead of a bare NOT MET.
    """
    with open(os.path.join(HERE, "bench-targets.json")) as handle:
        data = json.load(handle)
    return data["targets"], data.get("exercises", {})


def parse(log_text):
    """[(name, value, unit)] from a serial log, in the order printed."""
    results = []
    for line in log_text.splitlines():
        match = BENCH_LINE.match(line.strip())
        if match:
            results.append((match.group(1), int(match.group(2)), match.group(3)))
    return results


def run_lab(name, path, memory):
    """(results, error): boot one lab in bench mode and read its lines."""
    ok, output = qemu.build(path)
    if not ok:
        return [], "build failed:\n  " + "\n  ".join(output[-15:])
    with tempfile.TemporaryDirectory(prefix="baton-bench-") as tmp:
        iso, log = os.path.join(tmp, "bench.iso"), os.path.join(tmp, "serial.log")
        ok, output = qemu.make_iso(path, "bench", iso)
        if not ok:
            return [], "could not make the ISO:\n  " + "\n  ".join(output[-15:])
        # The IDE CD of `make qemu`: the memory map, and so the figures, are its.
        done = qemu.run(qemu.qemu_command(iso, log, memory, ICOUNT, ahci=False), BOOT_TIMEOUT)
        text = qemu.read_log(log).decode("utf-8", "replace")
    results = parse(text)
    if done.timed_out:
        return results, "no power-off within %ds" % BOOT_TIMEOUT
    if done.status != 33:
        tail = "\n  ".join(text.splitlines()[-10:])
        return results, "QEMU exited %s (33 means done); last lines:\n  %s" % (done.status, tail)
    return results, None


BENCH_DEF = re.compile(r"^BENCH\((\w+),", re.M)


def owners(root):
    """{benchmark: lab}: the snapshot whose own file (not a link) defines it."""
    found = {}
    for name, path in labs.list_labs(root):
        for top, _dirs, files in os.walk(os.path.join(path, "kernel")):
            for file in files:
                full = os.path.join(top, file)
                if not file.endswith(".c") or os.path.islink(full):
                    continue
                with open(full, encoding="utf-8", errors="replace") as handle:
                    for bench in BENCH_DEF.findall(handle.read()):
                        found.setdefault(bench, name)
    return found


def print_table(name, memories, by_memory, targets, exercises, owner):
    """One table: a row per benchmark, a column per memory size, its target."""
    print("== %s (guest instructions under -icount shift=0,sleep=off)" % name)
    order, units = [], {}
    for memory in memories:
        for bench, _value, unit in by_memory.get(memory, []):
            if bench not in units:
                order.append(bench)
                units[bench] = unit
    header = "  %-30s %-17s" % ("benchmark", "lab") + "".join(
        " %12s" % ("-m " + m) for m in memories) + "  %-13s %s" % ("unit", "target")
    print(header)
    for bench in order:
        values = []
        for memory in memories:
            got = [v for b, v, _u in by_memory.get(memory, []) if b == bench]
            values.append(got[0] if got else None)
        cells = "".join(" %12s" % ("-" if v is None else v) for v in values)
        worst = max((v for v in values if v is not None), default=0)
        print("  %-30s %-17s%s  %-13s %s" % (bench, owner.get(bench, "?"), cells, units[bench],
                                             verdict(bench, worst, targets, exercises)))


def verdict(name, value, targets, exercises):
    if name not in targets:
        return ""
    target = targets[name]
    if value <= target:
        return "target <= %d: met" % target
    if name in exercises:
        return "target <= %d: not met, an exercise (see below)" % target
    return "target <= %d: NOT MET" % target


def main(argv=None):
    parser = argparse.ArgumentParser(description="Run Baton's benchmarks under QEMU icount.")
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--lab", help="3, 03, 03-buddy, buddy or final")
    which.add_argument("--all", action="store_true", help="every lab (the default)")
    parser.add_argument("--json", metavar="FILE", default=os.path.join(ROOT, "build", "bench.json"),
                        help="where to write the results (default build/bench.json)")
    parser.add_argument("--memory", default="128M,4G",
                        help="guest memory sizes, comma-separated (default 128M,4G: the boot's "
                             "cost must not grow much with memory)")
    args = parser.parse_args(argv)
    try:
        chosen = [labs.resolve(ROOT, args.lab)] if args.lab else labs.list_labs(ROOT)
    except labs.LabError as error:
        print(error, file=sys.stderr)
        return 2

    (targets, exercises), report, failures = load_targets(), {}, 0
    open_exercises = set()
    owner = owners(ROOT)
    memories = [m.strip() for m in args.memory.split(",") if m.strip()]
    for name, path in chosen:
        report[name] = {}
        boot_counts, by_memory, errors = {}, {}, []
        for memory in memories:
            results, error = run_lab(name, path, memory)
            by_memory[memory] = results
            for bench, value, unit in results:
                if bench in exercises and value > targets.get(bench, value):
                    open_exercises.add(bench)
                if bench == "boot_to_ready":
                    boot_counts[memory] = value
            if error:
                failures += 1
                errors.append("  ERROR (-m %s): %s" % (memory, error))
            report[name][memory] = {
                "benchmarks": [{"name": b, "value": v, "unit": u} for b, v, u in results],
                "error": error}
        print_table(name, memories, by_memory, targets, exercises, owner)
        for line in errors:
            print(line)
        if len(boot_counts) == len(memories) > 1:
            first, last = boot_counts[memories[0]], boot_counts[memories[-1]]
            ratio = last / first if first else 0
            print("  boot_to_ready %s / %s = %.2f (target <= 1.5: %s)"
                  % (memories[-1], memories[0], ratio, "met" if ratio <= 1.5 else "NOT MET"))
            report[name]["boot_ratio"] = round(ratio, 3)
    for bench in sorted(open_exercises):
        print("exercise %s (target <= %d): %s" % (bench, targets[bench], exercises[bench]))
    os.makedirs(os.path.dirname(os.path.abspath(args.json)), exist_ok=True)
    with open(args.json, "w") as handle:
        json.dump({"mode": "qemu -icount shift=0,sleep=off", "memory": memories,
                   "labs": report}, handle, indent=2)
    print("results written to %s" % os.path.relpath(args.json))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
