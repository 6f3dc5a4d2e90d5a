#!/usr/bin/env python3
"""Round-trip check (ENCODING.md §3): TEI -> plain text must reproduce the source.

For every (source.txt, tei.xml) pair the TEI is rendered with xslt/tei-to-text.xsl
(through xsltproc, or `teikit render --to text` with --teikit) and compared with the
source after removing all whitespace.  The source side is first brought into the
canonical bracket notation of §4:

  [...] for [\u2026], [. . .] and their variants ([.\u2026], [....], [. . . .], [* * *]);  [sic] for [sic!], [sic.];  [?] for [??];  [Page 12] for [p. 12];
  case of [illegible], [sic], [?], [Page n], [handwritten: ...], [stamp: ...];
  illegible extents as [illegible word] (one unit) and [2 words illegible] (digits).

The same canonicalisation is applied to the rendering, where it only affects text the
converter kept literally (header fields are not bracket-encoded).

Markdown-flavoured sources (``**bold**`` labels, ``<https://...>`` autolinks, trailing
two-space hard breaks) additionally lose that markup before the comparison; their
result is reported as OK-MD / FAIL-MD, a looser comparison than for plain text.

The TEI header does not record the order of the source's header fields (unknown fields go
to notesStmt, reordered fields are put in the usual order), so a pair that differs only in
the order of the header fields -- date line, title, and each "Label:" with its value, as
rendered with the stylesheet parameter part=header -- while the body (part=body) matches
exactly is reported as ORDER rather than FAIL.

Usage:
  roundtrip_check.py SRC.txt TEI.xml [SRC.txt TEI.xml ...]
  roundtrip_check.py --dir /tmp/out          # pairs found by the corpus naming scheme
Options: --xslt PATH, --teikit BIN, --context N, --markdown (treat every source as Markdown).
Exit status: 0 when every pair passes, 1 otherwise.
"""

import argparse
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
DEFAULT_XSLT = os.path.join(ROOT, "xslt", "tei-to-text.xsl")
SHARED = os.path.normpath(os.path.join(ROOT, "..", "shared", "corpus"))

# --- canonical bracket notation (§4), applied to the source side only ----------------

CANON = [
    (re.compile(r"\[[ \t]*(?:(?:\.|\u2026|[ \t])*\u2026(?:\.|\u2026|[ \t])*"
                r"|\.(?:[ \t]*\.)+|\*(?:[ \t]*\*){2,})[ \t]*\]"), "[...]"),
    (re.compile(r"\[[ \t]*sic[ \t]*[!.]?[ \t]*\]", re.I), "[sic]"),
    (re.compile(r"\[[ \t]*illegible[ \t]*\]", re.I), "[illegible]"),
    (re.compile(r"\[[ \t]*\?+[ \t]*\]"), "[?]"),
    (re.compile(r"\[[ \t]*(?:p\.|page)[ \t]*([^\]\s]+)[ \t]*\]", re.I), r"[Page \1]"),
    (re.compile(r"\[[ \t]*handwritten[ \t]*:", re.I), "[handwritten:"),
    (re.compile(r"\[[ \t]*stamp[ \t]*:", re.I), "[stamp:"),
]

# An illegible extent (§4 row "[illegible word]", "[2 words illegible]", "[three lines
# illegible]": number words and digits) in one notation on both sides: one unit as
# "[illegible word]", more as "[2 words illegible]", the number in digits. Real archives use
# both ("[illegible word]" in the Wilson Center's translations, "[1 word illegible]" in
# Livingstone Online's); the TEI keeps the extent (@quantity, @unit), not which notation the
# source used, and the rendering writes "[1 word illegible]".
NUMBER_WORDS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve".split())}
EXTENT_UNITS = r"(word|line|character|char|letter|group|page)s?"
EXTENT = re.compile(r"\[[ \t]*(?:(?:(?P<n1>\d+|[a-z]+)[ \t]+)?(?P<u1>" + EXTENT_UNITS +
                    r")[ \t]+illegible|illegible[ \t]+(?:(?P<n2>\d+|[a-z]+)[ \t]+)?(?P<u2>" +
                    EXTENT_UNITS + r"))(?P<q>[ \t]*\[\?\])?[ \t]*\]", re.I)


def canonical_extent(m):
    number = m.group("n1") or m.group("n2") or "1"
    n = int(number) if number.isdigit() else NUMBER_WORDS.get(number.lower())
    if n is None:
        return m.group(0)
    unit = (m.group("u1") or m.group("u2")).lower().rstrip("s")
    # The profile reads "letters" as TEI's unit "char", which is rendered "characters".
    unit = "character" if unit in ("char", "letter") else unit
    doubt = " [?]" if m.group("q") else ""
    return ("[illegible %s%s]" % (unit, doubt) if n == 1
            else "[%d %ss illegible%s]" % (n, unit, doubt))


MD_BOLD = re.compile(r"\*\*")
MD_AUTOLINK = re.compile(r"<((?:https?|ftp|mailto):[^<>\s]*)>")


def looks_markdown(text):
    return bool(MD_BOLD.search(text) or MD_AUTOLINK.search(text) or
                re.search(r"[^ \n] {2}\r?\n", text))


def normalise_source(text, markdown):
    if text.startswith("\ufeff"):
        text = text[1:]
    if markdown:
        text = MD_BOLD.sub("", text)
        text = MD_AUTOLINK.sub(r"\1", text)
        # trailing two-space hard breaks are whitespace and vanish below
    for rx, repl in CANON:
        text = rx.sub(repl, text)
    return EXTENT.sub(canonical_extent, text)


def strip_ws(text):
    """Whitespace-free string plus, for each kept character, its offset in text."""
    chars, offs = [], []
    for i, c in enumerate(text):
        if not c.isspace() and c != "\ufeff":
            chars.append(c)
            offs.append(i)
    return "".join(chars), offs


def render(tei, xslt, teikit, part="all"):
    if teikit:
        cmd = [teikit, "render", "--to", "text", "--xslt", xslt, "--param", "part=" + part, tei]
    else:
        cmd = ["xsltproc", "--stringparam", "part", part, xslt, tei]
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if p.returncode != 0:
        raise RuntimeError("%s failed (%d): %s" % (cmd[0], p.returncode,
                                                   p.stderr.decode("utf-8", "replace").strip()))
    return p.stdout.decode("utf-8")


LABEL_BLOCK = re.compile(r"^\S[^\n:]{0,40}:$")


def header_fields(header_text):
    """The rendered header as a list of whitespace-free fields: the date line and the title
    each on their own, then every "Label:" block together with the value blocks after it."""
    fields = []
    for block in re.split(r"\n\s*\n", header_text.strip()):
        block = block.strip()
        if not block:
            continue
        if LABEL_BLOCK.match(block) or not fields or not LABEL_BLOCK.match(fields[-1][0]):
            fields.append([block])
        else:
            fields[-1].append(block)
    return [strip_ws(" ".join(f))[0] for f in fields]


def permuted_prefix(s, fields):
    """Length of the prefix of s that is the fields concatenated in some order, or None."""
    def go(pos, left):
        if not left:
            return pos
        for k in sorted(range(len(left)), key=lambda k: -len(left[k])):
            f = left[k]
            if s.startswith(f, pos):
                r = go(pos + len(f), left[:k] + left[k + 1:])
                if r is not None:
                    return r
        return None
    return go(0, list(fields))


def line_col(text, off):
    line = text.count("\n", 0, off) + 1
    col = off - (text.rfind("\n", 0, off) + 1) + 1
    return line, col


def snippet(text, off, ctx):
    lo, hi = max(0, off - ctx), min(len(text), off + ctx)
    s = text[lo:off] + "\u00bb" + text[off:hi]  # » marks the first difference
    return re.sub(r"\s+", " ", s)


def first_diff(a, b):
    n = min(len(a), len(b))
    return next((k for k in range(n) if a[k] != b[k]), n)


def describe(i, src_path, src, aoff, out, boff, la, lb, ctx):
    so = aoff[i] if i < len(aoff) else len(src)
    ro = boff[i] if i < len(boff) else len(out)
    line, col = line_col(src, so)
    return ("    first difference at non-whitespace char %d (source %s:%d:%d; "
            "lengths source=%d render=%d)\n"
            "    source: %s\n"
            "    render: %s" % (i, src_path, line, col, la, lb,
                                snippet(src, so, ctx), snippet(out, ro, ctx)))


def compare(src_path, tei_path, xslt, teikit, ctx, force_md):
    """Returns (status, markdown, detail); status is OK, ORDER or FAIL.

    ORDER: the texts differ only in the order of the header fields, which the TEI header
    does not record (e.g. samples/record-russian-reordered.txt, unknown fields that the
    converter keeps in notesStmt); the body must still match exactly."""
    with open(src_path, encoding="utf-8-sig", newline="") as f:
        raw = f.read()
    md = force_md or looks_markdown(raw)
    src = normalise_source(raw, md)
    # The rendering is canonicalised too: header fields are kept as literal text by the
    # converter, so a "[p. 3]" in a Summary comes back as it was written.
    out = normalise_source(render(tei_path, xslt, teikit), False)
    a, aoff = strip_ws(src)
    b, boff = strip_ws(out)
    if a == b:
        return "OK", md, None

    # Second chance: the header fields in another order, the body exactly.
    head = normalise_source(render(tei_path, xslt, teikit, "header"), False)
    body = strip_ws(normalise_source(render(tei_path, xslt, teikit, "body"), False))[0]
    hlen = permuted_prefix(a, header_fields(head))
    if hlen is not None and hlen == len(b) - len(body):
        if a[hlen:] == body:
            return "ORDER", md, None
        # header fine, body differs: report the body difference
        i = hlen + first_diff(a[hlen:], body)
        return "FAIL", md, describe(i, src_path, src, aoff, out, boff, len(a), len(b), ctx)
    i = first_diff(a, b)
    return "FAIL", md, describe(i, src_path, src, aoff, out, boff, len(a), len(b), ctx)


def pairs_from_dir(d):
    """Map the converter outputs in d (seed-*, frus-*, letters-*, sample-*) to sources."""
    table = {
        "seed-": os.path.join(SHARED, "seeds"),
        "frus-": os.path.join(SHARED, "frus-dev"),
        "letters-": os.path.join(SHARED, "letters-dev"),
        "sample-": os.path.join(ROOT, "samples"),
    }
    pairs = []
    for name in sorted(os.listdir(d)):
        if not name.endswith(".xml"):
            continue
        for prefix, srcdir in table.items():
            if name.startswith(prefix):
                src = os.path.join(srcdir, name[len(prefix):-4] + ".txt")
                pairs.append((src, os.path.join(d, name)))
                break
    return pairs


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("files", nargs="*", help="SRC.txt TEI.xml pairs")
    ap.add_argument("--dir", help="directory of converter outputs named seed-*/frus-*/letters-*/sample-*")
    ap.add_argument("--xslt", default=DEFAULT_XSLT)
    ap.add_argument("--teikit", help="render with this teikit binary instead of xsltproc")
    ap.add_argument("--context", type=int, default=50)
    ap.add_argument("--markdown", action="store_true", help="treat every source as Markdown")
    args = ap.parse_args(argv)

    if len(args.files) % 2:
        ap.error("files must come in SRC.txt TEI.xml pairs")
    pairs = list(zip(args.files[0::2], args.files[1::2]))
    if args.dir:
        pairs += pairs_from_dir(args.dir)
    if not pairs:
        ap.error("nothing to check")

    counts = {k + md: 0 for k in ("OK", "ORDER", "FAIL") for md in ("", "-MD")}
    counts["ERROR"] = 0
    for src, tei in pairs:
        try:
            status, md, detail = compare(src, tei, args.xslt, args.teikit, args.context, args.markdown)
        except (OSError, RuntimeError, UnicodeDecodeError) as e:
            counts["ERROR"] += 1
            print("ERROR    %s  %s\n    %s" % (src, tei, e))
            continue
        status += "-MD" if md else ""
        counts[status] += 1
        print("%-8s %s  %s" % (status, src, tei))
        if detail:
            print(detail)
    print("\n" + "  ".join("%s=%d" % kv for kv in counts.items()) + "  total=%d" % len(pairs))
    return 0 if counts["FAIL"] + counts["FAIL-MD"] + counts["ERROR"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
