#!/usr/bin/env bash
# Runs an installed teikit (a staged install, a tree extracted from the .deb) from a scratch
# folder outside the source and build trees, with none of the TEIKIT_* data variables set, so
# that everything it reads besides the sample comes from its own prefix: converts a sample,
# validates it (project schema and rules), renders the HTML edition and the text round trip.
#   tests/install/run-installed.sh BINARY SAMPLE.txt
set -euo pipefail
bin=$1 sample=$2
unset TEIKIT_DATA_DIR TEIKIT_XSLT_DIR TEIKIT_SCHEMA_DIR
[ -x "$bin" ] || { echo "run-installed: $bin is not an executable" >&2; exit 1; }
prefix=$(cd "$(dirname "$bin")/.." && pwd)
work=$(mktemp -d /tmp/teikit-installed.XXXXXX)
trap 'rm -rf "$work"' EXIT
cp "$sample" "$work/doc.txt"
cd "$work"
fail() { echo "run-installed: $*" >&2; exit 1; }

"$bin" --version
"$bin" convert doc.txt -o doc.xml || fail "convert failed"
grep -q '<TEI xmlns="http://www.tei-c.org/ns/1.0"' doc.xml || fail "doc.xml is not TEI"
"$bin" validate doc.xml || fail "validate (project schema and rules) failed"
"$bin" render --to html doc.xml -o doc.html || fail "render --to html failed"
grep -q '<html' doc.html || fail "doc.html is not HTML"
"$bin" render --to text doc.xml -o back.txt || fail "render --to text failed"
[ -s back.txt ] || fail "the text round trip is empty"
# The shipped profile is the built-in one: converting with it gives the same TEI.
"$bin" convert --profile "$prefix/share/teikit/profiles/archive-translation.xml" doc.txt \
  -o doc-profile.xml || fail "convert --profile (installed profile) failed"
cmp -s doc.xml doc-profile.xml || fail "the installed profile converts differently from the built-in one"
echo "run-installed: $bin (prefix $prefix) converted, validated and rendered $(basename "$sample") in $work"
