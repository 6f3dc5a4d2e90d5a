"""Every sample converted through Python is the command line's output, byte for byte, with the
same diagnostics."""

import os
import pathlib
import subprocess

import pytest

import teikit

SAMPLES = sorted((pathlib.Path(__file__).resolve().parents[2] / "samples").glob("*.txt"))


def test_there_are_samples():
    assert len(SAMPLES) >= 10


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.name)
def test_sample_as_the_command_line_converts_it(sample, cli):
    run = subprocess.run([cli, "convert", str(sample), "-o", "-"], capture_output=True)
    assert run.returncode == 0, run.stderr.decode()
    result = teikit.convert(sample.read_bytes(), name=str(sample))
    assert result.xml.encode("utf-8") == run.stdout
    assert "".join(str(d) + "\n" for d in result.diagnostics) == run.stderr.decode("utf-8")
    # The same text as a str (line ends and byte order mark kept) gives the same TEI.
    with open(sample, encoding="utf-8", newline="") as f:
        text = f.read()
    assert teikit.convert(text, name=str(sample)).xml == result.xml


@pytest.mark.parametrize("sample", SAMPLES[:3], ids=lambda p: p.name)
def test_with_publication_options_as_the_command_line(sample, cli):
    run = subprocess.run([cli, "convert", str(sample), "-o", "-", "--publisher", "P & Co",
                          "--licence", "CC BY", "--licence-url", "https://example.org/l",
                          "--pub-place", "Bern", "--edition-id", "ed-1"],
                         capture_output=True, check=True)
    result = teikit.convert(sample.read_bytes(), name=str(sample), publisher="P & Co",
                            licence="CC BY", licence_url="https://example.org/l",
                            pub_place="Bern", edition_id="ed-1")
    assert result.xml.encode("utf-8") == run.stdout


def shared_dir(source_dir):
    """The shared corpus: $TEIKIT_SHARED, else ../shared beside the project (as the C++ tests)."""
    d = pathlib.Path(os.environ.get("TEIKIT_SHARED") or source_dir / ".." / "shared")
    return d if (d / "ENCODING.md").is_file() else None


def test_every_corpus_transcription_as_the_command_line_converts_it(source_dir, cli):
    shared = shared_dir(source_dir)
    if shared is None:
        pytest.skip("no shared corpus (set TEIKIT_SHARED)")
    documents = sorted((shared / "corpus").rglob("*.txt"))
    assert documents
    differ = []
    for doc in documents:
        run = subprocess.run([cli, "convert", str(doc), "-o", "-"], capture_output=True)
        result = teikit.convert(doc.read_bytes(), name=str(doc))
        if (result.xml.encode("utf-8") != run.stdout or
                "".join(str(d) + "\n" for d in result.diagnostics) != run.stderr.decode()):
            differ.append(doc.name)
    assert differ == []
