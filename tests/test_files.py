"""Reading and writing keeps every byte a rule did not change."""
import codecs
import os
import stat

import pytest

from codemods import files
from codemods.files import BadInput, TooLarge, commit, discard, encode, read_source, stage, write_atomic

MB = 5_000_000


def roundtrip(path):
    source = read_source(path, MB)
    return encode(source.text, source.encoding, source.bom)


@pytest.mark.parametrize("data", [
    b"x = 1\n",
    b"x = 1\r\ny = 2\r\n",
    b"x = 1\ny = 2",  # no final newline
    codecs.BOM_UTF8 + "s = 'caf\u00e9'\n".encode("utf-8"),
    "# -*- coding: latin-1 -*-\ns = 'caf\u00e9'\n".encode("latin-1"),
    b"",
])
def test_roundtrip_is_byte_exact(tmp_path, data):
    path = tmp_path / "f.py"
    path.write_bytes(data)
    assert roundtrip(path) == data


def test_latin1_text_is_decoded(tmp_path):
    path = tmp_path / "f.py"
    path.write_bytes("# coding: latin-1\ns = '\u00e9'\n".encode("latin-1"))
    assert "\u00e9" in read_source(path, MB).text


@pytest.mark.parametrize("data, reason", [
    (b"\x7fELF\x00\x01", "binary"),
    (b"s = '\xff\xfe'\n", "not valid utf-8"),
    (b"# coding: no-such-codec\n", "encoding"),
])
def test_bad_input_reasons(tmp_path, data, reason):
    path = tmp_path / "f.py"
    path.write_bytes(data)
    with pytest.raises(BadInput, match=reason):
        read_source(path, MB)


def test_symlink_loop_is_named(tmp_path):
    (tmp_path / "a.py").symlink_to(tmp_path / "b.py")
    (tmp_path / "b.py").symlink_to(tmp_path / "a.py")
    with pytest.raises(BadInput, match="symlink loop"):
        read_source(tmp_path / "a.py", MB)


def test_unreadable_is_named(tmp_path, monkeypatch):
    path = tmp_path / "f.py"
    path.write_text("x = 1\n")

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("builtins.open", refuse)
    with pytest.raises(BadInput, match="permission denied"):
        read_source(path, MB)


def test_too_large_is_skipped_not_failed(tmp_path):
    path = tmp_path / "f.py"
    path.write_text("x = 1\n" * 100)
    with pytest.raises(TooLarge):
        read_source(path, 10)


def test_write_keeps_mode(tmp_path):
    path = tmp_path / "f.py"
    path.write_text("old\n")
    os.chmod(path, 0o751)
    write_atomic(path, b"new\n")
    assert path.read_bytes() == b"new\n"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o751
    assert [p.name for p in tmp_path.iterdir()] == ["f.py"]  # no temporary file left


def test_interrupted_write_leaves_old_file(tmp_path, monkeypatch):
    path = tmp_path / "f.py"
    path.write_text("old\n")

    def crash(src, dst):
        raise KeyboardInterrupt

    monkeypatch.setattr(files.os, "replace", crash)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(path, b"new\n")
    assert path.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["f.py"]


def test_write_through_symlink_replaces_target(tmp_path):
    target = tmp_path / "real.py"
    target.write_text("old\n")
    link = tmp_path / "link.py"
    link.symlink_to(target)
    write_atomic(link, b"new\n")
    assert link.is_symlink() and target.read_text() == "new\n"


def test_a_staged_file_replaces_its_target_only_when_committed(tmp_path):
    path = tmp_path / "f.py"
    path.write_text("old\n")
    os.chmod(path, 0o640)
    staged = stage(path, b"new\n")
    assert path.read_text() == "old\n"  # a base read now still sees the original
    assert stat.S_IMODE(os.stat(staged.temp).st_mode) == 0o640
    commit(staged)
    assert path.read_text() == "new\n"
    assert [p.name for p in tmp_path.iterdir()] == ["f.py"]
    discard(stage(path, b"newer\n"))  # given up: the temporary file goes, the file stays
    assert path.read_text() == "new\n" and [p.name for p in tmp_path.iterdir()] == ["f.py"]
