"""Running things: building a snapshot, making boot ISOs, booting QEMU.

Owns: every subprocess the grader starts, and the rule that none of them
may hang the grader (each runs in its own process group and is killed with
it at its timeout); and a boot's extra modules, made (badelf.py) from the
lab's own build/user/<program> into a scratch directory that lives only
while its ISO is made. Produces score.BootOutcome values; never scores.
Relies on the snapshot's Makefile for `make` and `make iso CMDLINE=.. ISO=..
[MODULES="file ..."]` (see labs/01-boot/Makefile) and on qemu-system-x86_64
being installed.
"""

import concurrent.futures
import glob
import hashlib
import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import time

import badelf
import score
import serial

QEMU = "qemu-system-x86_64"
BUILD_TIMEOUT = 600.0  # seconds, before scaling: a cold build of one snapshot
ISO_TIMEOUT = 120.0
LOG_LIMIT = 8 * 1024 * 1024  # bytes of serial log read; no kernel needs more

# The subprocesses running now, so that an interrupted grader can stop them.
_running = set()
_running_lock = threading.Lock()
_stopping = threading.Event()  # set once interrupted: start nothing new


class BootRequest:
    """One QEMU run to do: how to boot, and where its files go."""

    def __init__(self, name, cmdline, memory, qemu_args, timeout, iso_path, log_path,
                 modules=(), host_tests=None):
        self.name = name
        self.cmdline = cmdline
        self.memory = memory
        self.qemu_args = list(qemu_args)
        self.timeout = timeout        # seconds, already scaled
        self.iso_path = iso_path
        self.log_path = log_path
        # [(module name, badelf kind, the program it is made from)]
        self.modules = list(modules)
        self.host_tests = host_tests  # host tests to run instead of booting (names)
        self.input = None             # text to type into the serial port (lab 06 on)
        self.input_after = None       # ... once a line matches this (None: the first line)


class Finished:
    """How a subprocess ended: status (None if killed), output, wall time."""

    def __init__(self, status, stdout, stderr, wall, timed_out):
        self.status = status
        self.stdout = stdout
        self.stderr = stderr
        self.wall = wall
        self.timed_out = timed_out


def run(argv, timeout, stdout=subprocess.PIPE, stderr=subprocess.PIPE):
    """Run argv with a time limit; kill its whole process group if it overruns.

    A new session makes the child (and anything it starts, like the
    compilers make runs) a process group we can kill in one go. Raises
    OSError if the program cannot be started (not installed).
    """
    with _running_lock:
        if _stopping.is_set():
            raise OSError("the grader was interrupted")
        start = time.monotonic()
        # LC_ALL=C: compilers then quote with plain ASCII, which the
        # report shows as it is (their UTF-8 quotes would come out escaped).
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=stdout,
                                stderr=stderr, start_new_session=True,
                                env=dict(os.environ, LC_ALL="C"))
        _running.add(proc)
    try:
        out, err = proc.communicate(timeout=timeout)
        timed_out = False
    except subprocess.TimeoutExpired:
        _kill_group(proc)
        out, err = proc.communicate()
        timed_out = True
    finally:
        with _running_lock:
            _running.discard(proc)
    wall = time.monotonic() - start
    return Finished(None if timed_out else proc.returncode,
                    serial.decode(out or b""), serial.decode(err or b""), wall, timed_out)


def run_typing(argv, timeout, text, after):
    """Run QEMU as run() does, and type `text` into its stdin once a line of
    its stdout matches the regular expression `after` (None: once the first
    line is out). QEMU's serial port is then its stdio (the log is written
    by the chardev's logfile), so stdout is read as it comes.
    """
    pattern = re.compile(after) if after else None
    with _running_lock:
        if _stopping.is_set():
            raise OSError("the grader was interrupted")
        start = time.monotonic()
        proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, start_new_session=True,
                                env=dict(os.environ, LC_ALL="C"))
        _running.add(proc)
    errors = []

    def watch_output():
        pending, typed = b"", False
        while True:
            chunk = proc.stdout.read1(4096)
            if not chunk:
                return
            if typed:
                continue  # keep draining, so QEMU never blocks on a full pipe
            pending += chunk
            *lines, pending = pending.split(b"\n")
            for line in lines:
                if pattern is None or pattern.search(serial.decode(line).rstrip("\r")):
                    try:
                        proc.stdin.write(text.encode())
                        proc.stdin.flush()
                    except OSError:
                        pass  # QEMU is gone already
                    typed = True
                    break

    def read_errors():
        errors.append(proc.stderr.read())

    threads = [threading.Thread(target=watch_output, daemon=True),
               threading.Thread(target=read_errors, daemon=True)]
    for thread in threads:
        thread.start()
    try:
        proc.wait(timeout=timeout)
        timed_out = False
    except subprocess.TimeoutExpired:
        _kill_group(proc)
        proc.wait()
        timed_out = True
    finally:
        with _running_lock:
            _running.discard(proc)
    for thread in threads:
        thread.join(5)
    try:
        proc.stdin.close()
    except OSError:
        pass
    wall = time.monotonic() - start
    return Finished(None if timed_out else proc.returncode, "",
                    serial.decode(errors[0] if errors else b""), wall, timed_out)


def stop_all():
    """Kill every process this grader started that is still running.

    Our children run in their own sessions, so a Ctrl-C on the terminal
    does not reach them; the grader calls this when it is interrupted.
    """
    with _running_lock:
        _stopping.set()
        procs = list(_running)
    for proc in procs:
        _kill_group(proc)


def _kill_group(proc):
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass  # it ended just now


# --- Building -------------------------------------------------------------------

def build(labdir, scale=1.0):
    """`make -s -C labdir`: (ok, output lines), build output and errors mixed."""
    try:
        done = run(["make", "-s", "-C", labdir], BUILD_TIMEOUT * scale,
                   stderr=subprocess.STDOUT)
    except OSError as error:
        return False, ["cannot run make: %s" % error]
    lines = serial.split_lines(done.stdout)
    if done.timed_out:
        return False, lines + ["(the build did not finish within %gs)" % (BUILD_TIMEOUT * scale)]
    return done.status == 0, lines


def make_iso(labdir, cmdline, iso_path, scale=1.0, modules=()):
    """An ISO that boots labdir's kernel with cmdline: (ok, output lines).

    modules: paths of extra files, each added as a boot module named by
    its file name.
    """
    argv = ["make", "-s", "-C", labdir, "iso", "CMDLINE=" + cmdline, "ISO=" + iso_path]
    if modules:
        argv.append("MODULES=" + " ".join(modules))
    try:
        done = run(argv, ISO_TIMEOUT * scale, stderr=subprocess.STDOUT)
    except OSError as error:
        return False, ["cannot run make: %s" % error]
    ok = done.status == 0 and os.path.isfile(iso_path)
    output = serial.split_lines(done.stdout)
    if done.status == 0 and not ok:
        # Another make (or grader) working in the same build/ may have removed it.
        output.append("(make iso succeeded but %s is not there)" % iso_path)
    return ok, output


# --- Booting ----------------------------------------------------------------------

# Guest time follows guest instructions (4 ns each), not the host's clock,
# and an idle guest skips ahead to its next timer: a busy host slows a boot
# down but never changes what the kernel sees, so time budgets and timer
# tests mean the same on a loaded laptop as on an idle one.
ICOUNT = ["-icount", "shift=2,sleep=off"]


def qemu_command(iso_path, log_path, memory, extra_args=(), ahci=True, typing=False):
    """The QEMU command line of the grading protocol (docs/design.md).

    The ISO is a CD on a SATA (AHCI) controller rather than the IDE one
    `-cdrom` uses (as `make qemu` does; ahci=False): SeaBIOS then reads
    GRUB, the kernel and the programs by DMA instead of port I/O, which
    saves about half a second of every boot. The kernel sees the same
    machine, memory map and modules, except that SeaBIOS keeps a few KiB
    more for itself (`mem:` moves by that much).

    typing: the serial port is QEMU's stdio (the grader types into it),
    and the chardev's logfile is the log.
    """
    # QEMU splits option values at commas; a comma in a path is written twice.
    path = log_path.replace(",", ",,")
    if typing:
        serial_args = ["-chardev", "stdio,id=com1,signal=off,logfile=" + path,
                       "-serial", "chardev:com1"]
    else:
        serial_args = ["-serial", "file:" + path]
    if ahci:
        drive = "file=%s,media=cdrom,if=none,id=cd,readonly=on" % iso_path.replace(",", ",,")
        cd = ["-device", "ahci,id=ahci", "-drive", drive,
              "-device", "ide-cd,drive=cd,bus=ahci.0,bootindex=0"]
    else:
        cd = ["-cdrom", iso_path, "-boot", "d"]
    return [QEMU, "-machine", "pc", "-cpu", "qemu64", "-accel", "tcg", "-m", memory] + cd + [
        "-display", "none", "-monitor", "none"] + serial_args + [
        "-no-reboot", "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"] + ICOUNT + list(extra_args)


def read_log(path):
    """The serial log's bytes; a runaway kernel's flood is cut at LOG_LIMIT."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(LOG_LIMIT + 1)
    except OSError:
        return b""
    if len(data) > LOG_LIMIT:
        data = data[:LOG_LIMIT] + b"\n(the grader read only the first %d bytes)\n" % LOG_LIMIT
    return data


def boot(request):
    """Boot one ISO in QEMU and return its score.BootOutcome."""
    remove_quietly(request.log_path)  # never score an old run's log
    typing = request.input is not None
    argv = qemu_command(request.iso_path, request.log_path, request.memory, request.qemu_args,
                        typing=typing)
    try:
        if typing:
            done = run_typing(argv, request.timeout, request.input, request.input_after)
        else:
            done = run(argv, request.timeout)
    except OSError as error:
        return score.BootOutcome(error="cannot run %s: %s (see 'make doctor')"
                                 % (QEMU, error.strerror), timeout=request.timeout)
    return score.BootOutcome(read_log(request.log_path), done.status, done.wall,
                             done.timed_out, request.timeout, stderr=done.stderr)


SANITIZE_PROBE = "int main(void) { return 0; }\n"


_sanitizers = {}              # compiler -> sanitizers_missing()'s answer, once a grade
_sanitizers_lock = threading.Lock()


def sanitizers_missing():
    """Why the host compiler cannot build with ASan and UBSan, or None if it
    can. Asked once per compiler and grader run (the probe takes most of a
    second)."""
    compiler = os.environ.get("CC", "cc")
    with _sanitizers_lock:
        if compiler not in _sanitizers:
            _sanitizers[compiler] = _probe_sanitizers(compiler)
        return _sanitizers[compiler]


def _probe_sanitizers(compiler):
    with tempfile.TemporaryDirectory(prefix="baton-probe-") as tmp:
        source = os.path.join(tmp, "probe.c")
        with open(source, "w") as handle:
            handle.write(SANITIZE_PROBE)
        try:
            done = run([compiler, "-fsanitize=address,undefined", "-o",
                        os.path.join(tmp, "probe"), source], BUILD_TIMEOUT)
        except OSError as error:
            return "no host compiler %s (%s)" % (compiler, error.strerror)
        if done.status != 0:
            return "%s cannot link -fsanitize=address,undefined" % compiler
    return None


def run_host_tests(labdir, request):
    """`make -s -C <lab>/host test QUICK=1 ONLY=<names>` as a boot: its output
    is the log.

    Where the machine cannot build with the sanitizers, the log says so and
    ends "0 passed, 0 failed": the tests are part of the grade where they
    can run, and no student loses points for the machine they grade on.
    """
    remove_quietly(request.log_path)
    missing = sanitizers_missing()
    if missing:
        text = "host tests not run: %s\n0 passed, 0 failed\n" % missing
        done = Finished(0, text, "", 0.0, False)
    else:
        directory = os.path.join(labdir, "host")
        try:
            done = run(["make", "-s", "-C", directory, "test", "QUICK=1",
                        "ONLY=" + " ".join(request.host_tests)], request.timeout,
                       stderr=subprocess.STDOUT)
        except OSError as error:
            return score.BootOutcome(error="cannot run make: %s" % error.strerror,
                                     timeout=request.timeout)
        text = done.stdout
        if done.timed_out:
            text += "\n(host tests still running after %.0f s: stopped; a test may loop)\n" \
                % request.timeout
    with open(request.log_path, "w") as handle:
        handle.write(text)
    return score.BootOutcome(text, done.status, done.wall, done.timed_out, request.timeout,
                             log_path=request.log_path)


class ModuleError(Exception):
    """A boot's extra modules could not be made; str() says why."""


def program_path(labdir, program):
    return os.path.join(labdir, "build", "user", program)


def write_modules(labdir, request):
    """Make request's modules in a new scratch directory: (directory, [paths]).

    Each is made from the lab's built build/user/<from>; a missing program,
    a program a kind cannot break, or a name that would replace one of the
    lab's own programs on the ISO raises ModuleError.
    """
    prefix = "".join(c if c.isalnum() or c in "-_." else "_" for c in request.name)
    directory = tempfile.mkdtemp(prefix=prefix + "-modules-",
                                 dir=os.path.dirname(os.path.abspath(request.iso_path)))
    try:
        if any(c.isspace() for c in directory):
            raise ModuleError("the scratch directory %s has a space in its path, which "
                              "make iso MODULES=\"...\" cannot take" % directory)
        sources, paths = {}, []
        for name, kind, source in request.modules:
            if os.path.exists(program_path(labdir, name)):
                raise ModuleError("module '%s' would replace the lab's own program "
                                  "build/user/%s on the ISO: rename it in the spec" % (name, name))
            if kind == DATA_MODULE:
                data = data_module(name)
            else:
                if source not in sources:
                    sources[source] = read_program(labdir, source)
                try:
                    data = badelf.make(kind, sources[source])
                except badelf.CannotBreak as error:
                    raise ModuleError("cannot make module '%s' (%s) from build/user/%s: %s"
                                      % (name, kind, source, error))
            path = os.path.join(directory, name)
            with open(path, "wb") as handle:
                handle.write(data)
            paths.append(path)
        return directory, paths
    except BaseException:
        shutil.rmtree(directory, ignore_errors=True)
        raise


DATA_MODULE = "data"
DATA_MODULE_BYTES = 3 * 4096 + 100     # a few pages, the last one partly


def data_module(name):
    """The bytes of a `data` module: its name, repeated (recognisable in a dump)."""
    pattern = (name + "\n").encode()
    return (pattern * (DATA_MODULE_BYTES // len(pattern) + 1))[:DATA_MODULE_BYTES]


def read_program(labdir, program):
    """The bytes of the lab's build/user/<program>; ModuleError if it is not there."""
    path = program_path(labdir, program)
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError as error:
        raise ModuleError("no program %s to make the bad ELF modules from (%s): "
                          "'make -s -C %s' should build it"
                          % (path, error.strerror, labdir))


def prepare(labdir, request, scale=1.0, isos=None):
    """Make request's ISO; None on success, else a BootOutcome saying why not.

    isos (an IsoMaker) copies the ISO from one made for the same modules
    when it can; otherwise `make iso` makes it. Generated modules exist
    only while an ISO is made (the ISO holds copies): they are removed
    whatever happens.
    """
    if isos is not None and isos.copy(request):
        return None
    directory, modules = None, []
    if request.modules:
        try:
            directory, modules = write_modules(labdir, request)
        except (ModuleError, OSError) as error:
            return score.BootOutcome(error="could not make the boot's modules: %s" % error,
                                     timeout=request.timeout)
    try:
        ok, output = make_iso(labdir, request.cmdline, request.iso_path, scale, modules)
    finally:
        if directory is not None:
            shutil.rmtree(directory, ignore_errors=True)
    if ok:
        return None
    shown = "make iso CMDLINE=\"%s\"" % request.cmdline
    if modules:
        shown += " MODULES=\"%s\"" % " ".join(name for name, _, _ in request.modules)
    return score.BootOutcome(error="could not make the boot ISO (%s)" % shown,
                             error_output=output, timeout=request.timeout)


# --- One ISO per module set ---------------------------------------------------------
#
# `make iso` runs grub-mkrescue, about half a second of CPU, and most boots
# of a lab differ only in their command line. So the grader makes one ISO
# per set of extra modules with a placeholder command line (CMDLINE_SLOT),
# and each boot gets a copy with its command line written over the
# placeholder, padded with spaces. An ISO 9660 file is stored as its plain
# bytes, so the copy holds the grub.cfg `make iso CMDLINE=...` would have
# written, plus trailing spaces, which GRUB's parser drops: the kernel sees
# the same command line. Where that cannot be done (the placeholder is not
# found exactly once, a command line too long or with a character the
# Makefile would treat differently), the boot's ISO is made by `make iso`.

SLOT_LENGTH = 1000   # the kernel keeps 1023 characters (CMDLINE_MAX_LEN)
CMDLINE_SLOT = ("baton-grader-command-line-" + "x" * SLOT_LENGTH)[:SLOT_LENGTH]


# What `make iso` would not write into grub.cfg as it is: the shell quote
# around it, a `$` make expands, a backslash the shell's echo interprets.
NOT_AS_IS = "'$\\"


def patchable(cmdline):
    """True if cmdline can be written over the placeholder and gives the
    grub.cfg `make iso CMDLINE=...` would: it fits, and it is printable
    ASCII without a character of NOT_AS_IS."""
    return (len(cmdline) <= SLOT_LENGTH
            and all(" " <= c <= "~" and c not in NOT_AS_IS for c in cmdline))


def patch_cmdline(image, offset, cmdline):
    """image (a bytearray holding CMDLINE_SLOT at offset) with cmdline written
    over the placeholder, padded with spaces to its length."""
    if not patchable(cmdline):
        raise ValueError("cannot write command line %r into the placeholder" % cmdline)
    image[offset:offset + SLOT_LENGTH] = cmdline.encode("ascii").ljust(SLOT_LENGTH, b" ")
    return image


def find_slot(image):
    """The offset of the one placeholder in an ISO image, or None if it is
    not there exactly once."""
    slot = CMDLINE_SLOT.encode("ascii")
    first = image.find(slot)
    if first < 0 or image.find(slot, first + 1) >= 0:
        return None
    return first


class IsoMaker:
    """ISOs for one lab's boots: one `make iso` per module set, then copies.

    Shared by the worker threads of boot_all; a template is made once, by
    the first boot that needs it, while the others needing it wait.
    Templates are kept in build/grade/iso-cache/ under a hash of everything
    `make iso` reads (template_key), so a grade of an unchanged tree makes
    none; finish() removes the ones this grade did not use.
    """

    def __init__(self, labdir, directory, scale=1.0):
        self.labdir = labdir
        self.cache = os.path.join(directory, "iso-cache")
        self.scale = scale
        self.lock = threading.Lock()
        self.templates = {}   # module set -> (lock, [(image, offset) or None])
        self.used = set()

    def copy(self, request):
        """Write request's ISO from its module set's template: True if done,
        False if the caller must make it with `make iso`."""
        if not patchable(request.cmdline):
            return False
        template = self._template(tuple(request.modules), request)
        if template is None:
            return False
        image, offset = template
        data = patch_cmdline(bytearray(image), offset, request.cmdline)
        try:
            with open(request.iso_path, "wb") as handle:
                handle.write(data)
        except OSError:
            return False
        return True

    def _template(self, key, request):
        with self.lock:
            entry = self.templates.setdefault(key, (threading.Lock(), []))
        lock, made = entry
        with lock:
            if not made:
                made.append(self._load_or_make(key, request))
            return made[0]

    def _load_or_make(self, key, request):
        """(image bytes, placeholder offset) for one module set, or None."""
        try:
            digest = template_key(self.labdir, key)
            os.makedirs(self.cache, exist_ok=True)
        except OSError:
            return None   # no kernel yet, say: each boot's `make iso` says why
        path = os.path.join(self.cache, digest + ".iso")
        with self.lock:
            self.used.add(path)
        image = _read_or_none(path)
        if image is None or find_slot(image) is None:
            scratch = path + ".%d.part" % threading.get_ident()
            model = BootRequest(request.name, CMDLINE_SLOT, request.memory, [],
                                request.timeout, scratch, request.log_path, key)
            if prepare(self.labdir, model, self.scale) is not None:
                remove_quietly(scratch)
                return None   # each boot's own `make iso` then says what is wrong
            image = _read_or_none(scratch)
            try:
                # `make iso` may have rebuilt the kernel (grade --no-build of
                # a changed tree): then the ISO holds files the key did not.
                if template_key(self.labdir, key) != digest:
                    raise OSError("the tree changed while its ISO was made")
                os.replace(scratch, path)
            except OSError:
                remove_quietly(scratch)
        offset = find_slot(image) if image is not None else None
        return None if offset is None else (image, offset)

    def finish(self):
        """Remove the cached templates this grade did not use."""
        try:
            names = os.listdir(self.cache)
        except OSError:
            return
        for name in names:
            path = os.path.join(self.cache, name)
            if path not in self.used:
                remove_quietly(path)


def _read_or_none(path):
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError:
        return None


def template_key(labdir, modules):
    """A hash of everything a template ISO is made from: the Makefile, the
    snapshot's name, the kernel, every built program, the extra modules and
    the code that makes them, and the GRUB tools. OSError if a file that
    must be there (the kernel) is not."""
    digest = hashlib.sha256()

    def add(label, data):
        digest.update(b"%s %d\n" % (label.encode(), len(data)))
        digest.update(data)

    add("slot", CMDLINE_SLOT.encode())
    add("snapshot", os.path.basename(os.path.realpath(labdir)).encode())
    add("modules", repr(modules).encode())
    for label, path in (("Makefile", os.path.join(labdir, "Makefile")),
                        ("kernel", os.path.join(labdir, "build", "kernel.elf")),
                        ("badelf", badelf.__file__), ("qemu", __file__)):
        with open(path, "rb") as handle:
            add(label, handle.read())
    user = os.path.join(labdir, "build", "user")
    for name in sorted(os.listdir(user)) if os.path.isdir(user) else []:
        path = os.path.join(user, name)
        if os.path.isfile(path):
            with open(path, "rb") as handle:
                add("program " + name, handle.read())
    for tool in ("grub-mkrescue", "xorriso", "mformat"):
        found = shutil.which(tool)
        places = [found] if found else []
        places += sorted(glob.glob("/usr/lib/grub/*")) if tool == "grub-mkrescue" else []
        for place in places:
            info = os.stat(place)
            add("tool", ("%s %d %d" % (place, info.st_size, info.st_mtime_ns)).encode())
    return digest.hexdigest()


def boot_all(labdir, requests, jobs=2, scale=1.0, isos=None):
    """{request.name: BootOutcome}: `jobs` at a time, each makes its ISO and boots.

    grade.py builds the kernel before this, so `make iso` finds it up to
    date and only writes its own ISO: the workers share nothing but isos
    (an IsoMaker; a new one if not given), and making one boot's ISO
    overlaps with another boot. The longest boots start first, so that two
    workers finish together.
    """
    if isos is None:
        directory = os.path.dirname(os.path.abspath(requests[0].iso_path)) if requests else "."
        isos = IsoMaker(labdir, directory, scale)

    def prepare_and_boot(request):
        if request.host_tests:
            return run_host_tests(labdir, request)
        failed = prepare(labdir, request, scale, isos)
        try:
            return failed if failed is not None else boot(request)
        finally:
            remove_quietly(request.iso_path)  # ~10 MB each; the logs are what count

    outcomes = {}
    ordered = sorted(requests, key=lambda r: -getattr(r, "cost", 0))
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=max(1, jobs))
    try:
        for request, outcome in zip(ordered, pool.map(prepare_and_boot, ordered)):
            outcomes[request.name] = outcome
    except KeyboardInterrupt:
        stop_all()  # or the pool would wait for every QEMU to time out
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        for request in requests:
            remove_quietly(request.iso_path)
    return outcomes


def remove_quietly(path):
    try:
        os.remove(path)
    except OSError:
        pass
