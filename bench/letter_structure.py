#!/usr/bin/env python3
"""How many letters and FRUS documents of the shared corpus get a right opener and closer.

    bench/letter_structure.py [TEIKIT_BINARY]      (default build/converter/teikit)
    VERBOSE=1 bench/letter_structure.py            (one line per document)

FRUS (corpus/frus-dev): each NNN.txt is converted and compared with FRUS's own TEI, NNN.xml.
  closer right: the texts of closer/signed (notes left out, space and punctuation at the ends
    ignored) are those of FRUS, in order (no closer where FRUS has none);
  opener right: the datelines and salutations outside the closers are those of FRUS.
  lists right: the numbered and lettered lists (list/label, subject lists left out) are those of
    FRUS: the same lists with the same labels, each nested list in the same item.
Letters (corpus/letters-dev, Livingstone's): NNN.source.xml is the edition's TEI, which marks
  no closer (but in 045) and writes the signature as a short <p> at the end and
  address panels as <ab>.
  closer right: the last short <p> (at most 16 words) of the source that ends with the writer's
    name ("Livingst…") is a closer/signed (or its end) of the conversion, and no <ab> address panel
    of the source went into a closer's signed, salute or dateline or a postscript (closer/address
    is its place); where the source has a closer/signed, that is the signature looked for; with
    neither, right when there is no closer.
  salute right: the first short <p> of the source (before any long one) that opens with a
    salutation word ("My", "Dear", "Sir"), or the source's own opener/salute, is an
    opener/salute of the conversion.
Prints the counts; the rules are the corpus' own markup, not the converter's cue words.
"""
import os
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

TEI = "{http://www.tei-c.org/ns/1.0}"
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SHARED = os.environ.get("TEIKIT_SHARED", os.path.join(ROOT, "..", "shared"))
VERBOSE = os.environ.get("VERBOSE")


def text_of(el, skip=("note",)):
    parts = []

    def walk(e):
        tag = e.tag.replace(TEI, "")
        # The diplomatic reading of an edition's choice: orig, abbr, sic.
        if tag in skip or tag in ("reg", "expan", "corr"):
            if e.tail:
                parts.append(e.tail)
            return
        if e.text:
            parts.append(e.text)
        for c in e:
            walk(c)
        if e is not el and e.tail:
            parts.append(e.tail)

    walk(el)
    return "".join(parts)


def norm(s):
    # Receipt notes are notes here and text in FRUS; brackets are supplied text in both.
    s = re.sub(r"[\[(]received[^\])]*[\])]", " ", s, flags=re.I)
    s = s.replace("[", "").replace("]", "")
    s = re.sub(r"\s+", " ", s).strip()
    return s.strip(" .,;:").lower()


def convert(binary, path):
    with tempfile.NamedTemporaryFile(suffix=".xml", delete=False) as out:
        name = out.name
    try:
        subprocess.run([binary, "convert", path, "-o", name], stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, check=False)
        return ET.parse(name).getroot()
    finally:
        os.unlink(name)


def main_div(root):
    body = root.find(f".//{TEI}body")
    return body


def lists(root):
    """The labelled lists of the body as a string: "[1. 2.[a. b.] 3.]" for each list."""
    out = []

    def walk(e):
        for c in e:
            if c.tag == f"{TEI}list" and c.get("type") not in ("subject", "distribution"):
                out.append("[")
                for x in c:
                    if x.tag == f"{TEI}label":
                        out.append(norm(text_of(x)) + ".")
                    elif x.tag == f"{TEI}item":
                        walk(x)
                out.append("]")
            else:
                walk(c)

    walk(main_div(root))
    return " ".join(out)


def frus(binary):
    d = os.path.join(SHARED, "corpus", "frus-dev")
    names = sorted(f[:-4] for f in os.listdir(d) if f.endswith(".txt"))
    openers = closers = lists_ok = 0
    for n in names:
        ours = convert(binary, os.path.join(d, n + ".txt"))
        theirs = ET.parse(os.path.join(d, n + ".xml")).getroot()

        def signed(root):
            return [norm(text_of(s)) for s in main_div(root).iter(f"{TEI}signed")]

        def opener(root):
            # FRUS writes some datelines outside an opener (memoranda): every dateline and
            # salutation of the body, in order, that is not in a closer.
            r = []
            inside_closer = set()
            for c in main_div(root).iter(f"{TEI}closer"):
                inside_closer.update(id(x) for x in c.iter())
            for c in main_div(root).iter():
                tag = c.tag.replace(TEI, "")
                if tag in ("dateline", "salute") and id(c) not in inside_closer:
                    r.append((tag, norm(text_of(c))))
            return r

        c_ok = signed(ours) == signed(theirs)
        o_ok = opener(ours) == opener(theirs)
        l_ok = lists(ours) == lists(theirs)
        closers += c_ok
        openers += o_ok
        lists_ok += l_ok
        if VERBOSE:
            print(f"frus {n}: closer {'right' if c_ok else 'WRONG'} {signed(ours)} / {signed(theirs)};"
                  f" opener {'right' if o_ok else 'WRONG'} {opener(ours)} / {opener(theirs)};"
                  f" lists {'right' if l_ok else 'WRONG'} {lists(ours)!r} / {lists(theirs)!r}")
    print(f"FRUS: {closers}/{len(names)} closers right, {openers}/{len(names)} openers right,"
          f" {lists_ok}/{len(names)} lists right")


def letters(binary):
    d = os.path.join(SHARED, "corpus", "letters-dev")
    names = sorted(f[:-4] for f in os.listdir(d) if f.endswith(".txt"))
    closers = salutes = with_salute = 0
    for n in names:
        ours = convert(binary, os.path.join(d, n + ".txt"))
        src = ET.parse(os.path.join(d, n + ".source.xml")).getroot()
        body = src.find(f".//{TEI}body")
        paras = list(body.iter(f"{TEI}p"))
        sig = None
        for p in paras:
            t = norm(text_of(p))
            if len(t.split()) <= 16 and re.search(r"livingstone?$", t):
                sig = t
        # Where the edition marks the closer itself (045), its signature is the one.
        for s in body.iter(f"{TEI}signed"):
            sig = norm(text_of(s))
        our_signed = [norm(text_of(s)) for s in main_div(ours).iter(f"{TEI}signed")]
        panels = [norm(text_of(a)) for a in body.iter(f"{TEI}ab")]
        misplaced = False
        # The panel may stand in a closer as an address, not as its signature or formula.
        wrong_places = [x for c in main_div(ours).iter(f"{TEI}closer") for x in c
                        if x.tag.replace(TEI, "") in ("signed", "salute", "dateline")]
        for el in wrong_places + list(main_div(ours).iter(f"{TEI}postscript")):
            t = norm(text_of(el))
            misplaced |= any(p and p in t for p in panels)
        if sig is None:
            c_ok = not our_signed
        else:
            name = sig.split()[-1]
            c_ok = any(s.endswith(name) and s in sig for s in our_signed) and not misplaced
        closers += c_ok
        salute = None
        for p in paras:
            t = norm(text_of(p))
            if len(t.split()) > 12:
                break
            if re.match(r"(my|dear|sir)\b", t):
                salute = t
                break
        # Where the edition marks the opener itself (035, 045), its salutation is the one.
        for s in body.iter(f"{TEI}opener"):
            for x in s.iter(f"{TEI}salute"):
                salute = norm(text_of(x))
                break
        our_salutes = [norm(text_of(s)) for o in main_div(ours).iter(f"{TEI}opener")
                       for s in o.iter(f"{TEI}salute")]
        s_ok = None
        if salute is not None:
            with_salute += 1
            s_ok = salute in our_salutes
            salutes += s_ok
        if VERBOSE:
            print(f"letter {n}: closer {'right' if c_ok else 'WRONG'} (source {sig!r}, ours "
                  f"{our_signed}{', address panel misplaced' if misplaced else ''}); salute "
                  f"{'-' if s_ok is None else 'right' if s_ok else 'WRONG'} ({salute!r} / {our_salutes})")
    print(f"Letters: {closers}/{len(names)} closers right, {salutes}/{with_salute} salutations right")


if __name__ == "__main__":
    binary = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build", "converter", "teikit")
    frus(binary)
    letters(binary)
