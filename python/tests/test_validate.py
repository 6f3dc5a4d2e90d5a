"""teikit.validate: the project's schema and rules, other schemas, errors."""

import os
import threading

import pytest

import teikit

SCHEMA = """<grammar xmlns="http://relaxng.org/ns/structure/1.0">
  <start><element name="note"><attribute name="n"/><text/></element></start>
</grammar>
"""


@pytest.fixture(scope="module")
def tei(letter):
    return teikit.convert(letter, name="letter-plain.txt").xml


def test_a_converted_document_is_valid(tei, tmp_path):
    result = teikit.validate(tei)
    assert isinstance(result, teikit.ValidationResult)
    assert (result.verdict, result.valid, result.diagnostics) == ("valid", True, [])
    path = tmp_path / "letter.xml"
    path.write_text(tei, encoding="utf-8")
    assert teikit.validate(str(path)).valid
    assert teikit.validate(path).valid  # os.PathLike
    assert teikit.validate(tei.encode()).valid  # bytes are XML text


def test_a_schema_error_has_place_code_and_path(tei):
    bad = tei.replace("<body>", "<body><bogus/>", 1)
    result = teikit.validate(bad)
    assert (result.verdict, result.valid) == ("invalid", False)
    [d] = result.diagnostics
    line = bad[:bad.index("<bogus/>")].count("\n") + 1
    assert (d.file, d.line, d.severity, d.code) == ("<string>", line, "error",
                                                     "element-not-allowed")
    assert d.path == "/TEI/text/body/bogus"
    assert "bogus" in d.message
    assert str(d).startswith(f"<string>:{line}:")


def test_the_project_rules_apply_unless_turned_off(letter):
    tei = teikit.convert(letter, licence="CC0", licence_url="https://example.org/cc0").xml
    bad = tei.replace('"https://example.org/cc0"', '"javascript:alert(1)"')
    assert bad != tei
    assert teikit.validate(tei).valid
    result = teikit.validate(bad)
    assert not result.valid
    assert "url-scheme-not-allowed" in [d.code for d in result.diagnostics]
    assert teikit.validate(bad, rules=False).valid


def test_another_schema_and_rules(tmp_path):
    schema = tmp_path / "note.rng"
    schema.write_text(SCHEMA)
    assert teikit.validate('<note n="1">hi</note>', schema=str(schema)).valid
    result = teikit.validate("<note>hi</note>", schema=schema)
    assert not result.valid
    assert result.diagnostics[0].code == "missing-attribute"
    rules = tmp_path / "rules.sch"
    rules.write_text("""<schema xmlns="http://purl.oclc.org/dsdl/schematron">
  <pattern><rule context="note"><assert id="note-not-empty" test="normalize-space(.)">
    a note says something</assert></rule></pattern>
</schema>
""")
    assert teikit.validate('<note n="1">hi</note>', schema=schema, rules=rules).valid
    result = teikit.validate('<note n="1"> </note>', schema=schema, rules=str(rules))
    assert [d.code for d in result.diagnostics] == ["note-not-empty"]


def test_a_bad_schema_raises_with_diagnostics(tmp_path):
    schema = tmp_path / "broken.rng"
    schema.write_text('<grammar xmlns="http://relaxng.org/ns/structure/1.0"><start>'
                      '<element name="a"><nonsense/></element></start></grammar>')
    with pytest.raises(teikit.Error) as caught:
        teikit.validate("<a/>", schema=str(schema))
    assert caught.value.diagnostics
    d = caught.value.diagnostics[0]
    assert (d.file, d.severity, d.code) == (str(schema), "error", "schema-did-not-compile")
    assert str(caught.value) == str(d)
    with pytest.raises(teikit.Error) as caught:
        teikit.validate("<a/>", schema=str(tmp_path / "missing.rng"))
    assert caught.value.diagnostics[0].code == "schema-did-not-compile"


def test_unreadable_documents_raise(tmp_path):
    with pytest.raises(teikit.Error) as caught:
        teikit.validate("<TEI><unclosed></TEI>")
    [d] = caught.value.diagnostics
    assert (d.file, d.line, d.code) == ("<string>", 1, "not-well-formed")
    missing = str(tmp_path / "missing.xml")
    with pytest.raises(teikit.Error) as caught:
        teikit.validate(missing)
    assert [(d.file, d.code) for d in caught.value.diagnostics] == [(missing, "unreadable")]
    with pytest.raises(teikit.Error):
        teikit.validate(str(tmp_path))  # a directory


def test_wrong_arguments():
    with pytest.raises(TypeError):
        teikit.validate(42)
    with pytest.raises(ValueError):
        teikit.validate("<a/>", rules=True)


def test_the_gil_is_released_while_a_document_is_read(tei, tmp_path):
    # The validator blocks reading a FIFO until this thread writes it: with the GIL held it
    # would wait forever (and the test time out).
    fifo = tmp_path / "doc.xml"
    os.mkfifo(fifo)
    results = []
    worker = threading.Thread(target=lambda: results.append(teikit.validate(str(fifo))))
    worker.start()
    with open(fifo, "w", encoding="utf-8") as w:
        w.write(tei)
    worker.join()
    assert results and results[0].valid


def test_a_file_name_that_is_not_utf8(tei, tmp_path):
    name = os.fsdecode(b"caf\xe9.xml")  # a surrogate escape in Python
    path = tmp_path / name
    path.write_text(tei.replace("<body>", "<body><bogus/>", 1), encoding="utf-8")
    result = teikit.validate(path)
    [d] = result.diagnostics
    assert d.code == "element-not-allowed"
    assert d.file.endswith("caf\ufffd.xml")  # diagnostics are text; the bytes were read right


def test_keyword_names_of_the_issue(tei):
    assert teikit.validate(xml_or_path=tei, schema=None, rules=None).valid
    assert teikit.render(xml=tei, to="text", params=None) == teikit.render(tei, "text")
