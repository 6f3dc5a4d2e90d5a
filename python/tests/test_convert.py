"""teikit.convert: the TEI, its diagnostics, the options."""

import subprocess
import sys

import pytest
from lxml import etree

import teikit
from conftest import TEI

BRACKET = "June 12, 1941\n\nA title\n\nThe first paragraph.\n\nA second [unclosed paragraph.\n"


def parse(result):
    return etree.fromstring(result.xml.encode("utf-8"))


def test_result_is_tei_that_lxml_reads(letter):
    result = teikit.convert(letter, name="letter-plain.txt")
    assert isinstance(result, teikit.Result)
    assert isinstance(result.xml, str)
    tei = parse(result)
    assert tei.tag == TEI + "TEI"
    assert tei.findtext(f".//{TEI}titleStmt/{TEI}title").startswith("Letter from Harold P. Crane")
    assert tei.find(f".//{TEI}body") is not None
    assert result.ok
    assert result.flavour == "plain"
    assert result.diagnostics == []


def test_bracket_warning_has_line_and_column():
    result = teikit.convert(BRACKET, name="doc.txt")
    warnings = [d for d in result.diagnostics if d.code == "unmatched-open-bracket"]
    assert len(warnings) == 1, [str(d) for d in result.diagnostics]
    d = warnings[0]
    assert isinstance(d, teikit.Diagnostic)
    assert (d.file, d.line, d.column, d.severity) == ("doc.txt", 7, 10, "warning")
    assert d.message
    assert d.path == ""
    assert str(d) == f"doc.txt:7:10: warning: {d.message} [unmatched-open-bracket]"
    assert "doc.txt:7:10" in repr(d)
    # A warning is a finding, not a failure: the TEI is there and keeps the bracket as text.
    assert result.ok
    assert "[unclosed paragraph." in "".join(parse(result).find(f".//{TEI}body").itertext())


def test_every_diagnostic_field_has_its_type():
    result = teikit.convert("no date line\n\n[]\n", name="x")
    assert result.diagnostics
    for d in result.diagnostics:
        assert isinstance(d.file, str) and d.file == "x"
        assert isinstance(d.line, int) and isinstance(d.column, int)
        assert d.severity in ("note", "warning", "error")
        assert isinstance(d.code, str) and d.code
        assert isinstance(d.message, str) and d.message
    assert {"missing-date-line", "empty-brackets"} <= {d.code for d in result.diagnostics}


def test_publication_keywords_fill_the_publication_statement(letter):
    result = teikit.convert(letter, publisher="Lakeshore Historical Society",
                            licence="CC BY 4.0",
                            licence_url="https://creativecommons.org/licenses/by/4.0/",
                            edition_id="crane-1941-06-12", pub_place="Cleveland")
    stmt = parse(result).find(f".//{TEI}publicationStmt")
    assert stmt.findtext(f"{TEI}publisher") == "Lakeshore Historical Society"
    assert stmt.findtext(f"{TEI}pubPlace") == "Cleveland"
    assert stmt.findtext(f"{TEI}idno") == "crane-1941-06-12"
    licence = stmt.find(f"{TEI}availability/{TEI}licence")
    assert licence.get("target") == "https://creativecommons.org/licenses/by/4.0/"
    assert "".join(licence.itertext()).strip() == "CC BY 4.0"


def test_name_is_the_default_edition_id(letter):
    tei = parse(teikit.convert(letter, name="some/dir/crane-letter.txt"))
    assert tei.findtext(f".//{TEI}publicationStmt/{TEI}idno") == "crane-letter"
    default = parse(teikit.convert(letter))
    assert default.findtext(f".//{TEI}publicationStmt/{TEI}idno") == "input"


def test_licence_url_must_be_http():
    with pytest.raises(ValueError, match="http"):
        teikit.convert(BRACKET, licence_url="javascript:alert(1)")


def test_flavour():
    text = "June 12, 1941\n\n**A bold title**\n\nSome *emphasis* here.\n"
    assert teikit.convert(text).flavour == "markdown"
    plain = teikit.convert(text, flavour="plain")
    assert plain.flavour == "plain"
    assert "**A bold title**" in plain.xml
    assert teikit.convert(text, flavour="markdown").xml == teikit.convert(text).xml
    with pytest.raises(ValueError, match="flavour"):
        teikit.convert(text, flavour="html")


def test_bytes_and_encodings():
    latin1 = "June 12, 1941\n\nCaf\u00e9 notes\n\nAu caf\u00e9.\n".encode("latin-1")
    result = teikit.convert(latin1, encoding="latin-1")
    assert "Au caf\u00e9." in result.xml
    assert not any(d.code == "invalid-utf8" for d in result.diagnostics)
    as_utf8 = teikit.convert(latin1)
    assert any(d.code == "invalid-utf8" for d in as_utf8.diagnostics)
    assert teikit.convert(BRACKET.encode()).xml == teikit.convert(BRACKET).xml
    with pytest.raises(ValueError, match="encoding"):
        teikit.convert(latin1, encoding="koi8-r")
    with pytest.raises(ValueError):
        teikit.convert("text", encoding="latin-1")  # a str has no encoding to apply


def test_wrong_argument_types():
    with pytest.raises(TypeError):
        teikit.convert(42)
    with pytest.raises(TypeError):
        teikit.convert(BRACKET, "archive-translation")  # the options are keyword-only
    with pytest.raises(TypeError):
        teikit.convert(BRACKET, no_such_option=1)


def test_any_input_gives_well_formed_tei():
    for text in ["", "\x00\x01 [[[ ]]] \ufffe", "]" * 1000, "<&>\n\n" * 50]:
        result = teikit.convert(text)
        assert parse(result).tag == TEI + "TEI"


def test_repeated_codes_are_capped_with_a_note():
    result = teikit.convert("June 12, 1941\n\nT\n\n" + "] " * 300)
    stray = [d for d in result.diagnostics if d.code == "unmatched-close-bracket"]
    assert [d.severity for d in stray] == ["warning"] * 100 + ["note"]
    assert "200" in stray[-1].message


def test_an_input_too_large_for_the_memory_left_is_refused_before_it_starts():
    # In a child with an address-space limit: the estimate says the conversion cannot fit, so
    # it is refused with MemoryError instead of failing half-way.
    code = """
import resource, teikit
text = "June 1, 1941\\n\\nT\\n\\n" + "word " * 4_000_000
vm = int(open("/proc/self/statm").read().split()[0]) * 4096
resource.setrlimit(resource.RLIMIT_AS, (vm + 200 * 2**20, resource.RLIM_INFINITY))
try:
    teikit.convert(text, name="big.txt")
except MemoryError as e:
    print("refused:", e)
"""
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("refused: big.txt: converting 19 MiB of text needs")
