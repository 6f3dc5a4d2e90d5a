"""teikit.load_profile and convert(profile=…)."""

import pytest
from lxml import etree

import teikit
from conftest import TEI

# Braces instead of brackets, and {gone} an editorial gap.
BRACES = """<?xml version="1.0" encoding="UTF-8"?>
<profile name="braces" open="{" close="}">
  <title>Braces</title>
  <description>Curly braces mark the editor's interventions.</description>
  <rule id="gone" action="gap" reason="lost" pattern="gone">A lost passage: {gone}.</rule>
  <default id="supplied" action="supplied">Supplied text.</default>
</profile>
"""

TEXT = "June 12, 1941\n\nA title\n\nThe wall {gone} and the [door] and {the} roof.\n"


def body(result):
    return etree.fromstring(result.xml.encode()).find(f".//{TEI}body")


def test_a_profile_file_changes_the_output(tmp_path):
    path = tmp_path / "braces.xml"
    path.write_text(BRACES, encoding="utf-8")
    profile = teikit.load_profile(str(path))
    assert isinstance(profile, teikit.Profile)
    assert (profile.name, profile.title) == ("braces", "Braces")
    assert "Curly braces" in profile.description
    assert "braces" in repr(profile)

    default = body(teikit.convert(TEXT))
    custom = body(teikit.convert(TEXT, profile=profile))
    # The default profile: [door] is supplied, the braces are text.
    assert [s.text for s in default.iter(TEI + "supplied")] == ["door"]
    assert default.find(f".//{TEI}gap") is None
    # The custom profile: {gone} is a gap, {the} supplied, [door] text.
    assert custom.find(f".//{TEI}gap").get("reason") == "lost"
    assert [s.text for s in custom.iter(TEI + "supplied")] == ["the"]
    assert "[door]" in "".join(custom.itertext())


def test_profile_from_a_path_object_from_text_and_directly(tmp_path):
    path = tmp_path / "braces.xml"
    path.write_text(BRACES, encoding="utf-8")
    expected = teikit.convert(TEXT, profile=teikit.load_profile(str(path))).xml
    assert teikit.convert(TEXT, profile=teikit.load_profile(path)).xml == expected
    assert teikit.convert(TEXT, profile=teikit.load_profile(BRACES)).xml == expected
    assert teikit.convert(TEXT, profile=str(path)).xml == expected
    assert teikit.convert(TEXT, profile=BRACES).xml == expected


def test_the_default_profile():
    profile = teikit.default_profile()
    assert profile.name == "archive-translation"
    assert teikit.convert(TEXT, profile=profile).xml == teikit.convert(TEXT).xml


def test_a_bad_profile_raises_with_a_diagnostic(tmp_path):
    bad = BRACES.replace('action="gap"', 'action="vanish"')
    path = tmp_path / "bad.xml"
    path.write_text(bad, encoding="utf-8")
    with pytest.raises(teikit.Error) as caught:
        teikit.load_profile(str(path))
    [d] = caught.value.diagnostics
    assert (d.file, d.severity, d.code) == (str(path), "error", "profile-did-not-compile")
    assert "vanish" in d.message
    assert str(caught.value) == str(d)
    with pytest.raises(teikit.Error):
        teikit.convert(TEXT, profile=str(path))


def test_a_profile_that_is_not_xml_says_where(tmp_path):
    with pytest.raises(teikit.Error) as caught:
        teikit.load_profile("<profile name='x'>\n<rule id='a'\n")
    [d] = caught.value.diagnostics
    assert d.file == "<string>"
    assert d.line >= 2
    assert d.code == "profile-did-not-compile"


def test_a_missing_profile_file_is_unreadable(tmp_path):
    missing = tmp_path / "none.xml"
    with pytest.raises(teikit.Error) as caught:
        teikit.load_profile(missing)
    [d] = caught.value.diagnostics
    assert (d.file, d.code) == (str(missing), "unreadable")
    assert isinstance(caught.value, Exception)
