"""teikit.render: the project's stylesheets, parameters, other stylesheets, errors."""

import os
import subprocess
import threading

import pytest
from lxml import etree, html as lxml_html

import teikit


@pytest.fixture(scope="module")
def tei(letter):
    return teikit.convert(letter, name="letter-plain.txt").xml


def test_html(tei):
    page = teikit.render(tei, to="html")
    assert isinstance(page, str)
    assert page.startswith("<!DOCTYPE html")
    doc = lxml_html.fromstring(page)
    assert "Letter from Harold P. Crane" in doc.findtext(".//title")
    assert teikit.render(tei) == page  # html is the default


def test_text_and_markdown(tei):
    text = teikit.render(tei, to="text")
    assert text.startswith("June 12, 1941")
    assert "<" not in text.splitlines()[0]
    markdown = teikit.render(tei, to="markdown")
    assert markdown != text
    assert "Letter from Harold P. Crane" in markdown
    assert markdown.lstrip().startswith("#") or "**" in markdown


@pytest.mark.parametrize("to", ["html", "text", "markdown"])
def test_the_same_bytes_as_the_command_line(tei, cli, tmp_path, to):
    path = tmp_path / "letter.xml"
    path.write_text(tei, encoding="utf-8")
    expected = subprocess.run([cli, "render", "--to", to, str(path), "-o", "-"],
                              capture_output=True, check=True).stdout
    assert teikit.render(str(path), to=to).encode("utf-8") == expected
    assert teikit.render(tei, to=to).encode("utf-8") == expected


def test_parameters(tei):
    diplomatic = teikit.render(tei, to="html")
    reading = teikit.render(tei, to="html", params={"view": "reading"})
    assert reading != diplomatic
    assert teikit.render(tei, to="html", params=None) == diplomatic
    assert teikit.render(tei, to="html", params={"view": "diplomatic"}) == diplomatic
    with pytest.raises(TypeError):
        teikit.render(tei, params={"view": 1})


def test_another_stylesheet(tei, tmp_path):
    sheet = tmp_path / "titles.xsl"
    sheet.write_text("""<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:tei="http://www.tei-c.org/ns/1.0">
  <xsl:output method="text"/>
  <xsl:param name="prefix" select="'T: '"/>
  <xsl:template match="/"><xsl:value-of select="$prefix"/>
    <xsl:value-of select="//tei:titleStmt/tei:title"/></xsl:template>
</xsl:stylesheet>
""")
    assert teikit.render(tei, xslt=str(sheet)).startswith("T: Letter from Harold P. Crane")
    assert teikit.render(tei, xslt=sheet, params={"prefix": "Title: "}).startswith("Title: Letter")


def test_errors(tei, tmp_path):
    with pytest.raises(ValueError, match="'pdf'"):
        teikit.render(tei, to="pdf")
    broken = tmp_path / "broken.xsl"
    broken.write_text('<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/'
                      'Transform"><xsl:template match="/"><xsl:value-of select="(("/></xsl:template>'
                      '</xsl:stylesheet>')
    with pytest.raises(teikit.Error) as caught:
        teikit.render(tei, xslt=str(broken))
    [d] = caught.value.diagnostics
    assert (d.file, d.code) == (str(broken), "stylesheet-did-not-compile")
    with pytest.raises(teikit.Error) as caught:
        teikit.render(tei, xslt=str(tmp_path / "missing.xsl"))
    assert caught.value.diagnostics[0].code == "stylesheet-did-not-compile"
    with pytest.raises(teikit.Error) as caught:
        teikit.render("<TEI>\n<text>\n</TEI>")
    [d] = caught.value.diagnostics
    assert (d.file, d.line, d.code) == ("<string>", 3, "not-well-formed")
    missing = str(tmp_path / "missing.xml")
    with pytest.raises(teikit.Error) as caught:
        teikit.render(missing)
    assert [(d.file, d.code) for d in caught.value.diagnostics] == [(missing, "unreadable")]
    wide = "<TEI " + " ".join(f'a{i}="x"' for i in range(100000)) + "/>"
    with pytest.raises(teikit.Error) as caught:
        teikit.render(wide)
    assert caught.value.diagnostics[0].code == "document-too-complex"


def test_the_gil_is_released_while_a_document_is_read(tei, tmp_path):
    fifo = tmp_path / "doc.xml"
    os.mkfifo(fifo)
    pages = []
    worker = threading.Thread(target=lambda: pages.append(teikit.render(str(fifo), to="text")))
    worker.start()
    with open(fifo, "w", encoding="utf-8") as w:
        w.write(tei)
    worker.join()
    assert pages == [teikit.render(tei, to="text")]
