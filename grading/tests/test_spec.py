"""Tests of spec.py: the real specs load, bad specs give clear errors."""

import glob
import json
import os
import shutil
import tempfile
import unittest

import helpers
import spec


class RealSpecs(unittest.TestCase):

    def test_every_spec_loads(self):
        paths = glob.glob(os.path.join(helpers.GRADING, "specs", "*.json"))
        self.assertTrue(paths)
        for path in paths:
            spec.load(path, "final")

    def test_every_lab_is_worth_100(self):
        # Each spec's description says "100 points": a test added to a lab
        # takes its points from the others. (A course's hidden specs,
        # docs/course.md, add points of their own.)
        for path in glob.glob(os.path.join(helpers.GRADING, "specs", "*.json")):
            if ".hidden." in path:
                continue
            loaded = spec.load(path, os.path.basename(path)[:-len(".json")])
            with self.subTest(spec=os.path.basename(path)):
                self.assertEqual(sum(test.points for test in loaded.tests), 100)

    def test_lab01_is_worth_100(self):
        lab01 = helpers.load_spec_01()
        self.assertEqual(sum(test.points for test in lab01.tests), 100)
        self.assertEqual(lab01.lab, "01-boot")
        self.assertEqual(set(lab01.boots), {"ktest", "mem128", "mem1g", "panic", "stack", "unknown"})

    def test_snapshot_substitution(self):
        lab01 = helpers.load_spec_01("02-paging")
        first = [t for t in lab01.tests if t.name == "boot: first line"][0]
        self.assertEqual(first.checks["first_line"], "^baton 02-paging: booting$")

    def test_boot_defaults(self):
        lab01 = helpers.load_spec_01()
        panic = lab01.boots["panic"]
        self.assertEqual((panic.memory, panic.memory_kib, panic.timeout), ("128M", 131072, 10.0))
        self.assertTrue(panic.expect_panic)
        self.assertEqual(panic.expect_exit, 35)
        self.assertEqual(lab01.boots["mem128"].key(),
                         ("test=multiboot2", 131072, (), (), None, None, None, "mbload"))
        self.assertNotEqual(lab01.boots["mem128"].key(), lab01.boots["mem1g"].key())


class BadSpecs(unittest.TestCase):
    """Each mistake an instructor might make is named with where it is."""

    def setUp(self):
        self.dir = tempfile.mkdtemp()

    def tearDown(self):
        shutil.rmtree(self.dir)

    def write(self, data, name="09-extra.json"):
        path = os.path.join(self.dir, name)
        with open(path, "w") as handle:
            handle.write(data if isinstance(data, str) else json.dumps(data))
        return path

    def error(self, data):
        with self.assertRaises(spec.SpecError) as caught:
            spec.load(self.write(data), "09-extra")
        return str(caught.exception)

    def good(self):
        return {"boots": {"b": {"cmdline": "test"}},
                "tests": [{"name": "t", "points": 1, "boot": "b", "ktap_suite": "s"}]}

    def test_good_one_loads(self):
        loaded = spec.load(self.write(self.good()), "09-extra")
        self.assertEqual(loaded.tests[0].checks, {"ktap_suite": "s"})

    def test_snapshots_limits_a_test(self):
        data = self.good()
        data["tests"].append({"name": "own ABI", "points": 1, "boot": "b", "ktap_suite": "s",
                              "snapshots": ["09-extra"]})
        path = self.write(data)
        self.assertEqual([t.name for t in spec.load(path, "09-extra").tests], ["t", "own ABI"])
        self.assertEqual([t.name for t in spec.load(path, "10-later").tests], ["t"])
        data["tests"][1]["snapshots"] = []
        self.assertIn("'snapshots' must be", self.error(data))

    def test_not_json(self):
        message = self.error('{"boots": {,}}')
        self.assertIn("09-extra.json: not valid JSON", message)
        self.assertIn("line 1", message)

    def test_unknown_test_key(self):
        data = self.good()
        data["tests"][0]["lines"] = "x"
        self.assertIn("09-extra.json: tests[0] 't': unknown key 'lines'", self.error(data))

    def test_unknown_boot(self):
        data = self.good()
        data["tests"][0]["boot"] = "nope"
        self.assertIn("'boot' must name one of the boots: b", self.error(data))

    def test_bad_regex(self):
        data = self.good()
        data["tests"][0]["line"] = "^(unclosed"
        message = self.error(data)
        self.assertIn("tests[0] 't'.line: bad regular expression", message)

    def test_no_check(self):
        data = self.good()
        del data["tests"][0]["ktap_suite"]
        self.assertIn("needs at least one check", self.error(data))

    def test_bad_memory(self):
        data = self.good()
        data["boots"]["b"]["memory"] = "lots"
        self.assertIn("boots.b.memory: not a memory size", self.error(data))

    def test_bad_mem_check(self):
        data = self.good()
        data["tests"][0]["mem_kib"] = {"expect": "all of it"}
        self.assertIn("'expect' must be one of: ram_minus_holes", self.error(data))

    def test_duplicate_names(self):
        data = self.good()
        data["tests"].append(dict(data["tests"][0]))
        self.assertIn("a second test with this name", self.error(data))

    def test_points_required(self):
        data = self.good()
        del data["tests"][0]["points"]
        self.assertIn("needs 'points'", self.error(data))

    def test_input_loads(self):
        data = self.good()
        data["boots"]["b"].update({"input": "hi\n", "input_after": "^ready$"})
        loaded = spec.load(self.write(data), "09-extra")
        self.assertEqual((loaded.boots["b"].input, loaded.boots["b"].input_after),
                         ("hi\n", "^ready$"))
        self.assertNotEqual(loaded.boots["b"].key(), spec.BootSpec("09-extra", "c", {
            "cmdline": "test"}).key())

    def test_bad_input(self):
        data = self.good()
        data["boots"]["b"]["input"] = 5
        self.assertIn("'input' must be a string", self.error(data))
        data["boots"]["b"]["input"] = "x"
        data["boots"]["b"]["input_after"] = "^(unclosed"
        self.assertIn("boots.b.input_after: not a regular expression", self.error(data))
        del data["boots"]["b"]["input"]
        data["boots"]["b"]["input_after"] = "^ok$"
        self.assertIn("'input_after' without 'input'", self.error(data))

    def test_missing_file(self):
        with self.assertRaises(spec.SpecError) as caught:
            spec.load(os.path.join(self.dir, "nope.json"), "x")
        self.assertIn("cannot read", str(caught.exception))

    def test_modules_load(self):
        data = self.good()
        data["boots"]["b"]["modules"] = [{"name": "bad-magic", "make": "bad_magic"},
                                         {"name": "bad-relocation", "make": "bad_relocation",
                                          "from": "relocs", "comment": "hello has none"}]
        boot = spec.load(self.write(data), "09-extra").boots["b"]
        self.assertEqual(boot.modules, [("bad-magic", "bad_magic", "hello"),
                                        ("bad-relocation", "bad_relocation", "relocs")])

    def test_bad_modules(self):
        cases = [
            ({"name": "bad-x", "make": "bad_vibes"},
             "boots.b.modules[0].make: must be a kind of bad ELF file (bad_class, bad_data"),
            ({"name": "bad,x", "make": "bad_magic"},
             "boots.b.modules[0].name: must be a program name"),
            ({"name": "bad x", "make": "bad_magic"}, "modules[0].name: must be a program name"),
            ({"name": "../x", "make": "bad_magic"}, "modules[0].name: must be a program name"),
            ({"name": "x" * 64, "make": "bad_magic"}, "modules[0].name: must be a program name"),
            ({"name": "bad-x\n", "make": "bad_magic"}, "modules[0].name: must be a program name"),
            ({"name": 7, "make": "bad_magic"}, "modules[0].name: must be a program name"),
            ({"name": "bad-x", "make": "bad_magic", "from": "a/b"},
             "modules[0].from: must be a program name"),
            ({"make": "bad_magic"}, "modules[0]: needs a 'name'"),
            ({"name": "bad-x"}, "modules[0]: needs 'make'"),
            ({"name": "bad-x", "make": "bad_magic", "kind": "x"},
             "modules[0]: unknown key 'kind'"),
            ("bad_magic", "modules[0]: a module must be an object"),
        ]
        for module, wanted in cases:
            data = self.good()
            data["boots"]["b"]["modules"] = [module]
            self.assertIn(wanted, self.error(data))
        data = self.good()
        data["boots"]["b"]["modules"] = {"name": "bad-magic", "make": "bad_magic"}
        self.assertIn("boots.b.modules: must be a list of modules", self.error(data))
        data["boots"]["b"]["modules"] = [{"name": "m", "make": "bad_magic"},
                                         {"name": "m", "make": "bad_class"}]
        self.assertIn("modules[1]: a second module named 'm'", self.error(data))

    def test_modules_make_boots_distinct(self):
        data = self.good()
        data["boots"]["c"] = dict(data["boots"]["b"], modules=[{"name": "m", "make": "empty"}])
        data["boots"]["d"] = dict(data["boots"]["b"], modules=[{"name": "m", "make": "bad_magic"}])
        data["boots"]["e"] = dict(data["boots"]["d"])
        boots = spec.load(self.write(data), "09-extra").boots
        keys = [boots[name].key() for name in "bcd"]
        self.assertEqual(len(set(keys)), 3)
        self.assertEqual(boots["d"].key(), boots["e"].key())

    def test_extra_files_of_a_lab(self):
        self.write(self.good(), "09-extra.json")
        self.write(self.good(), "09-extra.hidden.json")
        self.write(self.good(), "10-other.json")
        files = [os.path.basename(p) for p in spec.spec_files(self.dir, "09-extra")]
        self.assertEqual(files, ["09-extra.json", "09-extra.hidden.json"])
        loaded = spec.load_specs(self.dir, ["09-extra"], "09-extra")
        self.assertEqual([s.lab for s in loaded], ["09-extra", "09-extra"])


if __name__ == "__main__":
    unittest.main()
