"""The module in a host program: it prints nothing, runs in threads, and leaves lxml alone."""

import subprocess
import sys
import threading

import pytest

import teikit


def test_nothing_is_printed_on_any_path(letter, tmp_path, capfd):
    tei = teikit.convert(letter).xml
    teikit.convert("no date\n\n[ ] ] [\x01")
    teikit.validate(tei)
    teikit.validate(tei.replace("<body>", "<body><bogus/>", 1))
    for to in ("html", "text", "markdown"):
        teikit.render(tei, to=to)
    broken = tmp_path / "broken.rng"
    broken.write_text("<grammar xmlns='http://relaxng.org/ns/structure/1.0'><start><nonsense/>"
                      "</start></grammar>")
    for call in (lambda: teikit.validate("<a>", schema=str(broken)),
                 lambda: teikit.validate("<unclosed>"),
                 lambda: teikit.render("<unclosed>"),
                 lambda: teikit.render(tei, xslt=str(broken)),
                 lambda: teikit.load_profile("<profile/>"),
                 lambda: teikit.validate(str(tmp_path / "missing.xml"))):
        with pytest.raises(teikit.Error):
            call()
    out, err = capfd.readouterr()  # file-descriptor level: libxml2's stderr included
    assert (out, err) == ("", "")


def test_threads_get_the_results_of_one_thread(source_dir):
    samples = sorted((source_dir / "samples").glob("*.txt"))
    expected = {}
    for s in samples:
        xml = teikit.convert(s.read_bytes(), name=s.name).xml
        expected[s.name] = (xml, teikit.validate(xml).verdict, teikit.render(xml, to="text"))
    failures = []

    def work():
        try:
            for _ in range(3):
                for s in samples:
                    xml = teikit.convert(s.read_bytes(), name=s.name).xml
                    got = (xml, teikit.validate(xml).verdict, teikit.render(xml, to="text"))
                    if got != expected[s.name]:
                        failures.append(s.name)
        except Exception as e:  # noqa: BLE001 - reported below
            failures.append(repr(e))

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []


LXML_CHECK = r"""
import sys
from lxml import etree
def lxml_behaviour(tmp):
    open(tmp + "/ent.txt", "w").write("entity text")
    doc = ('<!DOCTYPE a [<!ENTITY e SYSTEM "file://' + tmp + '/ent.txt">]><a>&e;</a>').encode()
    resolved = etree.fromstring(doc, etree.XMLParser(resolve_entities=True)).text
    try:
        etree.fromstring(b"<a><b></a>")
        error = None
    except etree.XMLSyntaxError as e:
        error = str(e)
    xslt = etree.XSLT(etree.XML(b'<xsl:stylesheet version="1.0" '
        b'xmlns:xsl="http://www.w3.org/1999/XSL/Transform"><xsl:output method="text"/>'
        b'<xsl:template match="/">[<xsl:value-of select="document(\'file://' + tmp.encode() +
        b'/doc.xml\')/d"/>]</xsl:template></xsl:stylesheet>'))
    open(tmp + "/doc.xml", "w").write("<d>read by document()</d>")
    return resolved, error, str(xslt(etree.XML(b"<x/>")))
tmp = sys.argv[1]
ORDER
"""


@pytest.mark.parametrize("order", ["lxml first", "teikit first"])
def test_lxml_works_as_before_in_the_same_process(tmp_path, order):
    use_teikit = ("import teikit\n"
                  "r = teikit.convert('June 1, 1941\\n\\nT\\n\\nText [x.\\n')\n"
                  "teikit.validate(r.xml); teikit.render(r.xml)\n")
    if order == "lxml first":
        body = ("before = lxml_behaviour(tmp)\n" + use_teikit +
                "after = lxml_behaviour(tmp)\n")
    else:
        body = use_teikit + "before = after = lxml_behaviour(tmp)\n"
    body += "print(repr(before)); print(repr(after))\n"
    run = subprocess.run([sys.executable, "-c", LXML_CHECK.replace("ORDER", body), str(tmp_path)],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    before, after = run.stdout.splitlines()
    assert before == after
    resolved, error, transformed = eval(before)  # noqa: S307 - our own repr
    assert resolved == "entity text"
    assert error and "line 1" in error
    assert transformed == "[read by document()]"


def test_error_is_an_ordinary_exception_class():
    e = teikit.Error("something went wrong")
    assert isinstance(e, Exception)
    assert (str(e), e.diagnostics) == ("something went wrong", [])
    assert teikit.Error.__module__ == "teikit"

    class Mine(teikit.Error):
        pass

    with pytest.raises(teikit.Error):
        raise Mine("x", [])
