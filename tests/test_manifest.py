"""The model folder's sha256 manifest: what the onnx scorer checks before it reads a byte of the model.

Every way a manifest can fail to protect the weights is refused with an InputError that names the file: none at
all, an empty one, a line that is not ``sha256sum`` output, a name that leaves the folder, and one that does not list
``model.onnx``. The digests here come from hashlib, not from the module under test.
"""

import hashlib
from pathlib import Path

import pytest

from stancemap.io import InputError
from stancemap.models.manifest import MANIFEST, file_table, verify_manifest, write_manifest

FILES = {"model.onnx": b"weights\x00\x01", "tokenizer.json": b'{"vocab": {}}', "config.json": b"{}"}


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    for name, data in FILES.items():
        (tmp_path / name).write_bytes(data)
    return tmp_path


def manifest_of(names=FILES) -> str:
    return "".join(f"{sha(FILES[n])}  {n}\n" for n in names)


def test_a_good_manifest_passes_in_sha256sum_format(folder):
    (folder / MANIFEST).write_text(manifest_of())
    verify_manifest(folder)  # no error
    verify_manifest(str(folder))  # a str path as the config gives it


def test_write_manifest_lists_every_other_file_with_its_hashlib_digest(folder):
    (folder / MANIFEST).write_text("stale")
    table = write_manifest(folder)
    assert list(table) == sorted(FILES)  # name order, the manifest itself left out
    assert table["model.onnx"] == {"bytes": len(FILES["model.onnx"]), "sha256": sha(FILES["model.onnx"])}
    assert (folder / MANIFEST).read_text() == manifest_of(sorted(FILES))
    assert file_table(folder) == table
    verify_manifest(folder)


def test_binary_mode_star_and_blank_lines_are_accepted(folder):
    """``sha256sum -b`` writes ``<hash> *name``; a trailing blank line is harmless."""
    lines = [f"{sha(FILES[n])}  *{n}" for n in FILES]
    (folder / MANIFEST).write_text("\n".join(lines) + "\n\n")
    verify_manifest(folder)


def test_uppercase_hex_is_the_same_digest(folder):
    (folder / MANIFEST).write_text(
        manifest_of()
        .upper()
        .replace("MODEL.ONNX", "model.onnx")
        .replace("TOKENIZER.JSON", "tokenizer.json")
        .replace("CONFIG.JSON", "config.json")
    )
    verify_manifest(folder)


def test_a_missing_manifest_is_refused(folder):
    with pytest.raises(InputError, match=rf"{MANIFEST}: no manifest"):
        verify_manifest(folder)


@pytest.mark.parametrize("content", ["", "\n\n", "   \n"])
def test_an_empty_manifest_is_refused(folder, content):
    (folder / MANIFEST).write_text(content)
    with pytest.raises(InputError, match=rf"{MANIFEST}: empty"):
        verify_manifest(folder)


def test_a_manifest_without_the_weights_is_refused(folder):
    (folder / MANIFEST).write_text(manifest_of(["tokenizer.json", "config.json"]))
    with pytest.raises(InputError, match="does not list model.onnx or model.safetensors"):
        verify_manifest(folder)


@pytest.mark.parametrize(
    "line",
    [
        "not a manifest",
        f"{sha(b'x')} model.onnx",  # one space: not sha256sum's separator
        f"{sha(b'x')[:63]}  model.onnx",  # 63 hex digits
        f"{sha(b'x')}0  model.onnx",  # 65
        "g" * 64 + "  model.onnx",  # not hex
        f"{sha(b'x')}  ",  # no name
        f"{sha(b'x')}  *",  # binary marker and no name
    ],
)
def test_a_malformed_line_is_refused_with_its_number(folder, line):
    (folder / MANIFEST).write_text(manifest_of(["config.json"]) + line + "\n")
    with pytest.raises(InputError, match=rf"{MANIFEST}, line 2: not a sha256sum line"):
        verify_manifest(folder)


@pytest.mark.parametrize(
    "name", ["../model.onnx", "../../etc/passwd", "sub/model.onnx", "/abs/model.onnx", "..", ".", "..\\model.onnx"]
)
def test_a_name_outside_the_folder_is_refused(folder, name):
    """A manifest may only vouch for the folder's own files; ``../`` would let it point anywhere."""
    outside = folder.parent / "model.onnx"
    outside.write_bytes(FILES["model.onnx"])
    (folder / MANIFEST).write_text(manifest_of() + f"{sha(FILES['model.onnx'])}  {name}\n")
    with pytest.raises(InputError, match=rf"line {len(FILES) + 1}: not a sha256sum line"):
        verify_manifest(folder)


def test_a_listed_file_that_is_missing_is_named(folder):
    (folder / MANIFEST).write_text(manifest_of())
    (folder / "tokenizer.json").unlink()
    with pytest.raises(InputError, match=r"tokenizer\.json: listed in MANIFEST\.sha256 but missing"):
        verify_manifest(folder)


@pytest.mark.parametrize("name", sorted(FILES))
def test_a_changed_file_is_named(folder, name):
    (folder / MANIFEST).write_text(manifest_of())
    (folder / name).write_bytes(FILES[name] + b" ")
    with pytest.raises(InputError, match=rf"{name}: sha256 does not match"):
        verify_manifest(folder)


def test_the_onnx_scorer_refuses_a_folder_whose_manifest_is_missing(folder):
    """The scorer always verifies: with the three files it needs present, only the manifest is wrong."""
    from stancemap.models.onnx import ONNXNLIScorer

    with pytest.raises(InputError, match="no manifest"):
        ONNXNLIScorer(str(folder))
    (folder / MANIFEST).write_text("")
    with pytest.raises(InputError, match="empty"):
        ONNXNLIScorer(str(folder))
    (folder / MANIFEST).write_text(manifest_of(["config.json"]))
    with pytest.raises(InputError, match="does not list model.onnx or model.safetensors"):
        ONNXNLIScorer(str(folder))


def test_the_preflight_stops_on_a_damaged_model_before_any_job(tmp_path):
    """check_loadable (run in onstart, before any job) verifies the manifest: a damaged model must stop the run
    there, not inside the classify job after Snakemake has dropped that job's previous outputs."""
    from stancemap.models import check_loadable
    from stancemap.models.manifest import write_manifest

    for name in ("model.onnx", "tokenizer.json", "config.json"):
        (tmp_path / name).write_text(f"{name} bytes\n")
    write_manifest(tmp_path)
    assert check_loadable({"backend": "onnx", "name": str(tmp_path)}) == tmp_path
    (tmp_path / "config.json").write_text("changed\n")
    with pytest.raises(InputError, match=r"cannot be loaded: .*config.json: sha256 does not match"):
        check_loadable({"backend": "onnx", "name": str(tmp_path)})
