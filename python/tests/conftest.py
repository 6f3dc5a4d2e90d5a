"""Fixtures of the Python module's tests (run by ctest: PYTHONPATH names the built module)."""

import os
import pathlib

import pytest

TEI = "{http://www.tei-c.org/ns/1.0}"


@pytest.fixture(scope="session")
def source_dir():
    """The source tree (samples/, schemas/, README.md)."""
    return pathlib.Path(os.environ.get("TEIKIT_SOURCE_DIR",
                                       pathlib.Path(__file__).resolve().parents[2]))


@pytest.fixture(scope="session")
def cli(source_dir):
    """The command-line executable of the same build."""
    path = pathlib.Path(os.environ.get("TEIKIT_BINARY", source_dir / "build/converter/teikit"))
    assert path.is_file(), f"{path}: no teikit executable (set TEIKIT_BINARY)"
    return path


@pytest.fixture(scope="session")
def letter(source_dir):
    """A sample transcription, as text."""
    return (source_dir / "samples/letter-plain.txt").read_text(encoding="utf-8")
