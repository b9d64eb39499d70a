"""The commit protocol and manifest on their own (no Ray): what counts as finished, and what not."""

import json
import os

from fusionlabel_ray import manifest
from fusionlabel_ray.engine import EngineIdentity


def expectation(inputs=None, version="0.1.0", configuration="c" * 64):
    return manifest.Expectation(inputs=inputs or {"scene.json": "a" * 64}, engine=EngineIdentity(version, "b" * 64),
                                configuration=configuration, renders=True)


def attempt(out, name, expected, text="labels"):
    partial = manifest.partial_folder(out, name)
    os.makedirs(partial)
    with open(os.path.join(partial, "labels.openlabel.json"), "w") as handle:
        handle.write(text)
    outputs = manifest.tree_hashes(partial)
    record = expected.manifest(name, "/scenes/" + name, 3, outputs, {"entries": 0, "intact": True, "lastHash": "0" * 64})
    return partial, record


def test_a_committed_output_verifies_and_every_change_undoes_that(tmp_path):
    out, expected = str(tmp_path), expectation()
    partial, record = attempt(out, "s", expected)
    assert manifest.verify(partial, expected) is not None  # no manifest yet: a partial is never finished
    assert manifest.commit(partial, out, "s", record, expected)
    target = os.path.join(out, "s")
    assert manifest.verify(target, expected) is None
    assert not os.path.exists(partial)
    assert manifest.verify(target, expectation(inputs={"scene.json": "d" * 64})) == "the inputs changed"
    assert manifest.verify(target, expectation(version="0.2.0")) == "made by another engine"
    assert manifest.verify(target, expectation(configuration="e" * 64)) == "made with another configuration"
    with open(os.path.join(target, "labels.openlabel.json"), "a") as handle:
        handle.write("!")
    assert manifest.verify(target, expected) == "the outputs changed since they were written"
    os.remove(os.path.join(target, manifest.MANIFEST))
    assert manifest.verify(target, expected).startswith("no readable manifest")


def test_a_second_attempt_keeps_the_first_verified_result(tmp_path):
    out, expected = str(tmp_path), expectation()
    first, first_record = attempt(out, "s", expected, "first")
    second, second_record = attempt(out, "s", expected, "second")
    assert manifest.commit(first, out, "s", first_record, expected)
    assert not manifest.commit(second, out, "s", second_record, expected)
    with open(os.path.join(out, "s", "labels.openlabel.json")) as handle:
        assert handle.read() == "first"
    assert not os.path.exists(second)
    with open(os.path.join(out, manifest.COMMITS)) as handle:
        assert [json.loads(line)["scene"] for line in handle] == ["s"]


def test_an_unverified_output_is_replaced_whole(tmp_path):
    out, expected = str(tmp_path), expectation()
    os.makedirs(os.path.join(out, "s"))
    with open(os.path.join(out, "s", "half-written.json"), "w") as handle:
        handle.write("{")
    partial, record = attempt(out, "s", expected)
    assert manifest.commit(partial, out, "s", record, expected)
    assert sorted(os.listdir(os.path.join(out, "s"))) == ["labels.openlabel.json", manifest.MANIFEST]
    assert not [entry for entry in os.listdir(out) if entry.startswith(".s.")]


def test_leftovers_of_dead_attempts_are_removed_and_only_theirs(tmp_path):
    out, expected = str(tmp_path), expectation()
    dead, _ = attempt(out, "s", expected)
    other, _ = attempt(out, "t", expected)
    manifest.remove_leftovers(out, "s")
    assert not os.path.exists(dead) and os.path.exists(other)
