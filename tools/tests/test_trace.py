"""tools/trace: a continuation trace (docs/trace.md) into a Graphviz graph.

Feeds it logs written by hand in the kernel's line format (a pipeline of
two programs, a cancelled record, waits by time and by a program's end)
and checks the nodes, the hand-offs and their labels; and the command
line: a dot file written, a log with no trace line refused.
"""

import importlib.machinery
import importlib.util
import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
TOOL = os.path.join(ROOT, "tools", "trace")

loader = importlib.machinery.SourceFileLoader("baton_trace", TOOL)
spec = importlib.util.spec_from_loader("baton_trace", loader)
trace = importlib.util.module_from_spec(spec)
loader.exec_module(trace)

# A source spawns a stage with a channel end, sends it a 1 MiB region and
# waits for it to come back; the stage receives it and sends it back.
PIPELINE = """\
baton final: booting
trace: dump of 26 events (0 lost)
trace: 0 new pid=1 prog=src c=a0 fn=0x0 arg=0x1
trace: 1 run pid=1 prog=src c=a0 fn=0x0 arg=0x1 value=4096
trace: 2 cap pid=2 prog=stage from=1 how=spawn type=console rights=rw-g base=0x0 len=0
trace: 3 cap pid=2 prog=stage from=1 how=move type=channel rights=rw-g base=0x0 len=0
trace: 4 new pid=2 prog=stage c=a0 fn=0x0 arg=0x2
trace: 5 send pid=1 prog=src ep=e1 caps=1
trace: 6 cap pid=1 prog=src from=1 how=send type=region rights=rw-g base=0x500000 len=1048576
trace: 7 new pid=1 prog=src c=b0 fn=0x1200 arg=0x0
trace: 8 wait pid=1 prog=src c=b0 on=msg obj=0xe2
trace: 9 new pid=1 prog=src c=c0 fn=0x1300 arg=0x7
trace: 10 end pid=1 prog=src value=0
trace: 11 run pid=2 prog=stage c=a0 fn=0x0 arg=0x2 value=8192
trace: 12 new pid=2 prog=stage c=d0 fn=0x1000 arg=0x0
trace: 13 wait pid=2 prog=stage c=d0 on=msg obj=0xe1
trace: 14 ready pid=2 prog=stage c=d0 why=msg value=1
trace: 15 end pid=2 prog=stage value=0
trace: 16 run pid=2 prog=stage c=d0 fn=0x1000 arg=0x0 value=1
trace: 17 recv pid=2 prog=stage ep=e1 caps=1
trace: 18 cap pid=2 prog=stage from=2 how=recv type=region rights=rw-g base=0x500000 len=1048576
trace: 19 send pid=2 prog=stage ep=e2 caps=1
trace: 20 cap pid=2 prog=stage from=2 how=send type=region rights=rw-g base=0x500000 len=1048576
trace: 21 ready pid=1 prog=src c=b0 why=msg value=1
trace: 22 exit pid=2 prog=stage how=exit code=0
trace: 23 run pid=1 prog=src c=b0 fn=0x1200 arg=0x0 value=1
trace: 24 recv pid=1 prog=src ep=e2 caps=1
trace: 25 exit pid=1 prog=src how=exit code=0
trace: end of dump
"""


def graph_of(text):
    return trace.build(trace.parse(text))


def edges(graph):
    """[(from label, to label, edge label)], nodes named program:fn."""
    def name(point):
        return point if isinstance(point, str) else "%s:%x" % (point.program, point.fn)
    return [(name(e["from"]), name(e["to"]), e["label"]) for e in graph.edges]


class Parsing(unittest.TestCase):

    def test_only_event_lines_count(self):
        events = trace.parse(PIPELINE)
        self.assertEqual(len(events), 26)
        self.assertEqual(events[0], (0, "new", {"pid": "1", "prog": "src", "c": "a0",
                                                "fn": "0x0", "arg": "0x1"}))

    def test_a_shell_session_works_too(self):
        text = "baton$ trace dump\n" + "\n".join(
            line for line in PIPELINE.splitlines() if line.startswith("trace: ") and
            line[7].isdigit()) + "\ntrace: end of dump, 26 events shown (0 lost)\n"
        self.assertEqual(len(trace.parse(text)), 26)


class Graph(unittest.TestCase):

    def test_continuations_are_nodes_and_a_reused_record_is_a_new_one(self):
        graph = graph_of(PIPELINE)
        # src main, src 0x1200, src 0x1300 (never ran), stage main, stage 0x1000
        self.assertEqual(len(graph.nodes), 5)
        self.assertEqual(sorted((n.program, n.fn) for n in graph.nodes),
                         [("src", 0), ("src", 0x1200), ("src", 0x1300), ("stage", 0),
                          ("stage", 0x1000)])

    def test_spawn_edges_carry_the_capabilities_given(self):
        found = edges(graph_of(PIPELINE))
        self.assertIn(("boot (run=)", "src:0", "spawn"), found)
        self.assertIn(("src:0", "stage:0", "spawn\\nconsole rw-g\\nchannel rw-g (moved)"), found)

    def test_a_message_edge_goes_from_sender_to_receiver_with_its_region(self):
        found = edges(graph_of(PIPELINE))
        self.assertIn(("src:0", "stage:1000", "message\\nregion rw-g 0x500000 1 MiB"), found)
        # The stage's message woke the source's waiting continuation: one edge says both.
        self.assertIn(("stage:1000", "src:1200",
                       "message (woke it)\\nregion rw-g 0x500000 1 MiB"), found)
        self.assertFalse([e for e in found if e[2] == "woken: message"])

    def test_waits_and_queues_are_labelled(self):
        found = edges(graph_of(PIPELINE))
        self.assertIn(("src:0", "src:1200", "wait msg"), found)
        self.assertIn(("stage:0", "stage:1000", "wait msg"), found)
        self.assertIn(("src:0", "src:1300", "queue"), found)

    def test_a_record_whose_program_ended_first_is_cancelled(self):
        graph = graph_of(PIPELINE)
        never = [n for n in graph.nodes if n.fn == 0x1300][0]
        self.assertTrue(never.cancelled)
        self.assertFalse(never.ran)
        dot = trace.to_dot(graph, trace.Names(None))
        self.assertRegex(dot, r'c%d \[label="src \[1\]\\nfn 0x1300", style=dashed\];' % never.number)

    def test_wakes_by_time_and_by_a_programs_end(self):
        text = "\n".join([
            "trace: 0 new pid=1 prog=p c=a0 fn=0x0 arg=0x0",
            "trace: 1 run pid=1 prog=p c=a0 fn=0x0 arg=0x0 value=0",
            "trace: 2 new pid=1 prog=p c=b0 fn=0x10 arg=0x0",
            "trace: 3 wait pid=1 prog=p c=b0 on=time obj=0x64",
            "trace: 4 new pid=2 prog=q c=c0 fn=0x0 arg=0x0",
            "trace: 5 new pid=1 prog=p c=d0 fn=0x20 arg=0x0",
            "trace: 6 wait pid=1 prog=p c=d0 on=proc obj=0x2",
            "trace: 7 end pid=1 prog=p value=0",
            "trace: 8 run pid=2 prog=q c=c0 fn=0x0 arg=0x0 value=0",
            "trace: 9 exit pid=2 prog=q how=killed code=-1",
            "trace: 10 run pid=1 prog=p c=d0 fn=0x20 arg=0x0 value=2",
            "trace: 11 end pid=1 prog=p value=0",
            "trace: 12 run pid=1 prog=p c=b0 fn=0x10 arg=0x0 value=100",
        ])
        found = edges(graph_of(text))
        self.assertIn(("q:0", "p:20", "woken: end of pid 2"), found)
        self.assertIn(("timer", "p:10", "woken: time"), found)
        self.assertIn(("p:0", "q:0", "spawn"), found)

    def test_dot_output_is_a_digraph_with_a_cluster_per_program(self):
        dot = trace.to_dot(graph_of(PIPELINE), trace.Names(None))
        self.assertTrue(dot.startswith("digraph trace {"))
        self.assertTrue(dot.rstrip().endswith("}"))
        self.assertIn('label="src (pid 1)"', dot)
        self.assertIn('label="stage (pid 2)"', dot)
        self.assertIn('c0 [label="src [1]\\nmain"];', dot)
        self.assertEqual(dot.count("subgraph cluster_"), 2)


class Functions(unittest.TestCase):

    def test_names_from_a_program_elf(self):
        elf = os.path.join(ROOT, "final", "build", "user", "stage")
        if not os.path.exists(elf):
            self.skipTest("final/ is not built (make -C final)")
        functions = trace.elf_functions(elf)
        self.assertIn("got", functions.values())
        address = [a for a, n in functions.items() if n == "got"][0]
        names = trace.Names(os.path.dirname(elf))
        self.assertEqual(names.function("stage", address), "got")
        self.assertEqual(names.function("stage", 0), "main")
        self.assertEqual(names.function("stage", 0x7), "fn 0x7")

    def test_not_an_elf_gives_no_names(self):
        self.assertEqual(trace.elf_functions(TOOL), {})
        self.assertEqual(trace.elf_functions("/nonexistent"), {})


class CommandLine(unittest.TestCase):

    def run_tool(self, *args):
        return subprocess.run([sys.executable, TOOL] + list(args), capture_output=True,
                              text=True)

    def test_dot_writes_a_file(self):
        with tempfile.TemporaryDirectory() as tmp:
            log, out = os.path.join(tmp, "log"), os.path.join(tmp, "t.dot")
            with open(log, "w") as handle:
                handle.write(PIPELINE)
            done = self.run_tool("dot", log, "-o", out)
            self.assertEqual(done.returncode, 0, done.stderr)
            self.assertIn("26 events, 5 continuations", done.stdout)
            with open(out) as handle:
                self.assertIn("digraph trace", handle.read())

    def test_a_log_without_trace_lines_is_refused(self):
        with tempfile.TemporaryDirectory() as tmp:
            log = os.path.join(tmp, "log")
            with open(log, "w") as handle:
                handle.write("baton final: booting\nrun: done\n")
            done = self.run_tool("dot", log)
            self.assertEqual(done.returncode, 1)
            self.assertIn("no trace lines", done.stderr)

    def test_bad_run_list(self):
        self.assertEqual(self.run_tool("boot", "--run", "a b;c").returncode, 2)


if __name__ == "__main__":
    unittest.main()
