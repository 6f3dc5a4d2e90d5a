#!/usr/bin/env python3
"""Runs James Clark's RELAX NG test suite (spectest.xml) through `teikit validate`.

The suite is not in this repository (see README.md beside this script for where it comes
from and its licence). Usage:

    tests/rng_conformance/run.py --suite /path/to/spectest.xml --teikit build/converter/teikit

Every test case is written to its own folder of a temporary directory (its resources and
sub-folders, the schema as c.rng or i.rng, the instances as 1.v.xml, 2.i.xml, ...). Each
schema/instance verdict of the suite is then checked twice: with `teikit validate --no-prune`
(libxml2 compiling the whole grammar) and with teikit's default (pruned) run. An incorrect
schema must give exit 5 ("schema did not compile"); a valid instance of a correct schema exit 0;
an invalid one exit 3. The script prints agreement counts and, with --list, every disagreement.
It exits 0 when the default run agrees with --no-prune on every verdict where --no-prune
agrees with the suite (pruning never changes a right answer into a wrong one) and 1 otherwise.
"""
import argparse
import os
import subprocess
import sys
import tempfile
import xml.dom.minidom

RNG_EXIT_SCHEMA = 5
EXPECT = {"incorrect": RNG_EXIT_SCHEMA, "valid": 0, "invalid": 3}


def serialise(element):
    """The element as a standalone document (namespace declarations in scope are kept by
    minidom because the suite declares them on the element itself)."""
    return '<?xml version="1.0" encoding="utf-8"?>\n' + element.toxml()


def children(node, name=None):
    return [c for c in node.childNodes
            if c.nodeType == c.ELEMENT_NODE and (name is None or c.tagName == name)]


def only_element(node):
    kids = children(node)
    return kids[0] if len(kids) == 1 else None


def write(path, text):
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def write_resources(node, folder):
    for c in children(node):
        if c.tagName == "resource":
            content = only_element(c)
            write(os.path.join(folder, c.getAttribute("name")),
                  serialise(content) if content is not None else "")
        elif c.tagName == "dir":
            sub = os.path.join(folder, c.getAttribute("name"))
            os.makedirs(sub, exist_ok=True)
            write_resources(c, sub)


def cases(suite):
    """(folder-number, testCase element) for every testCase, in document order."""
    out = []

    def walk(node):
        for c in children(node):
            if c.tagName == "testCase":
                out.append(c)
            elif c.tagName == "testSuite":
                walk(c)

    walk(suite.documentElement)
    return out


def run(teikit, schema, instance, prune, timeout):
    cmd = [teikit, "validate", "--schema", schema, instance]
    if not prune:
        cmd.insert(2, "--no-prune")
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout)
    except subprocess.TimeoutExpired:
        return -1, "timeout"
    return p.returncode, (p.stdout + p.stderr).decode("utf-8", "replace")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--suite", required=True, help="spectest.xml")
    ap.add_argument("--teikit", default="build/converter/teikit")
    ap.add_argument("--list", action="store_true", help="print every disagreement")
    ap.add_argument("--keep", help="write the split suite here instead of a temporary folder")
    ap.add_argument("--timeout", type=float, default=60)
    args = ap.parse_args()
    teikit = os.path.abspath(args.teikit)
    suite = xml.dom.minidom.parse(args.suite)
    root = args.keep or tempfile.mkdtemp(prefix="rng-conformance-")
    os.makedirs(root, exist_ok=True)

    verdicts = []  # (case number, kind, schema path, instance path or None)
    for n, case in enumerate(cases(suite), 1):
        folder = os.path.join(root, "%03d" % n)
        os.makedirs(folder, exist_ok=True)
        write_resources(case, folder)
        for kind in ("incorrect", "correct"):
            for s in children(case, kind):
                content = only_element(s)
                schema = os.path.join(folder, kind[0] + ".rng")
                write(schema, serialise(content) if content is not None else "")
                if kind == "incorrect":
                    # Any document will do: the schema must be refused before it is used.
                    instance = os.path.join(folder, "any.xml")
                    write(instance, "<foo/>\n")
                    verdicts.append((n, "incorrect", schema, instance))
        schema = os.path.join(folder, "c.rng")
        i = 0
        for c in children(case):
            if c.tagName in ("valid", "invalid"):
                i += 1
                content = only_element(c)
                instance = os.path.join(folder, "%d.%s.xml" % (i, c.tagName[0]))
                # Instances are written as the suite has them, entities expanded.
                write(instance, serialise(content) if content is not None else "")
                verdicts.append((n, c.tagName, schema, instance))

    agree = {"suite=no-prune": 0, "suite=default": 0, "no-prune=default": 0}
    changed_right = []  # no-prune right, default wrong
    rows = []
    for n, kind, schema, instance in verdicts:
        want = EXPECT[kind]
        full, full_out = run(teikit, schema, instance, False, args.timeout)
        pruned, pruned_out = run(teikit, schema, instance, True, args.timeout)
        agree["suite=no-prune"] += full == want
        agree["suite=default"] += pruned == want
        agree["no-prune=default"] += full == pruned
        if full == want and pruned != want:
            changed_right.append((n, kind, instance, full, pruned, pruned_out))
        if full != want or pruned != want:
            rows.append((n, kind, instance, want, full, pruned, pruned_out if pruned != want
                         else full_out))

    total = len(verdicts)
    print("RELAX NG conformance suite: %d schema/instance verdicts (%s)" % (total, root))
    print("  libxml2 (--no-prune) agrees with the suite:  %d/%d" % (agree["suite=no-prune"], total))
    print("  teikit default agrees with the suite:        %d/%d" % (agree["suite=default"], total))
    print("  teikit default agrees with --no-prune:       %d/%d" % (agree["no-prune=default"],
                                                                   total))
    print("  right with --no-prune, wrong by default:     %d" % len(changed_right))
    if args.list:
        for n, kind, instance, want, full, pruned, out in rows:
            first = out.strip().splitlines()[0] if out.strip() else ""
            print("case %03d %-9s want %d no-prune %d default %d  %s  %s"
                  % (n, kind, want, full, pruned, os.path.relpath(instance, root), first[:150]))
    return 1 if changed_right else 0


if __name__ == "__main__":
    sys.exit(main())
