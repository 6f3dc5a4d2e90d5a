#!/usr/bin/env python3
"""Verdicts and first diagnostics of `teikit validate` on every sequence of up to four children
of a div (three in an enclosure) from {p, ab, gap, pb, closer, postscript, opener, head, a p with
a bad attribute, an unknown element}: 12,222 documents under the converter's own header.

For each invalid sequence the child really at fault is the first that is unknown, carries the
bad attribute, or after which no valid continuation exists (the language of div.content, as a
regular expression here); the script counts the first diagnostics that name it. The verdicts
must equal the expression's everywhere.

  bench/validate_div_sequences.py [TEIKIT_BINARY] [SCHEMA]   (default build/converter/teikit,
                                                              the project schema)
Needs the Python module `regex` (partial matching)."""
import itertools, json, os, re, subprocess, sys, tempfile

import regex

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
binary = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, 'build/converter/teikit'))
schema = sys.argv[2] if len(sys.argv) > 2 else None
sym = {
    'p': ('<p>x</p>', 'P'), 'ab': ('<ab type="omission">*</ab>', 'A'),
    'list': ('<list><label>1.</label><item>x</item></list>', 'L'),
    'gap': ('<gap reason="illegible"/>', 'G'), 'pb': ('<pb n="2"/>', 'B'),
    'closer': ('<closer><signed>S</signed></closer>', 'C'),
    'postscript': ('<postscript><p>x</p></postscript>', 'S'),
    'opener': ('<opener><salute>Sir</salute></opener>', 'O'), 'head': ('<head>H</head>', 'H'),
    'badp': ('<p bogus="1">x</p>', 'P'), 'foo': ('<foo/>', 'X'),
}
content = r'O?(?:(?:[PAL][GB]*)+C?[SGB]*C?)?'
lang = {'t': regex.compile(r'[GB]*' + content), 'e': regex.compile(r'[GB]*H?' + content)}

def at_fault(ctx, seq):  # index of the child at fault, -1: the parent, None: valid
    s = ''
    for i, x in enumerate(seq):
        s += sym[x][1]
        if x in ('badp', 'foo') or lang[ctx].fullmatch(s, partial=True) is None:
            return i
    return None if lang[ctx].fullmatch(s) else -1

with tempfile.TemporaryDirectory() as d:
    subprocess.run([binary, 'convert', os.path.join(root, 'samples/letter-plain.txt'), '-o',
                    f'{d}/letter.xml'], check=True, capture_output=True)
    letter = open(f'{d}/letter.xml').read()
    head = letter[:letter.index('<body>') + len('<body>')]
    cases = []
    for ctx, most in (('t', 4), ('e', 3)):
        for n in range(most + 1):
            for seq in itertools.product(sym, repeat=n):
                body = ''.join('\n' + sym[x][0] for x in seq)
                if ctx == 'e':
                    body = ('<div type="transcription"><p>x</p></div>\n<div type="enclosure">'
                            + body + '\n</div>')
                else:
                    body = '<div type="transcription">' + body + '\n</div>'
                name = f's{len(cases):05d}.xml'
                open(f'{d}/{name}', 'w').write(head + body + '</body></text></TEI>\n')
                cases.append((name, ctx, seq))
    verdict, first = {}, {}
    extra = ['--schema', schema] if schema else []
    for k in range(0, len(cases), 1000):
        names = [c[0] for c in cases[k:k + 1000]]
        p = subprocess.run([binary, 'validate', '-v', '--no-rules', '--timeout', '0',
                            '--diagnostics', 'json'] + extra + names, cwd=d, capture_output=True,
                           text=True)
        for line in p.stdout.splitlines():
            m = re.match(r'(s\d+\.xml): (\w+)', line)
            if m:
                verdict[m.group(1)] = m.group(2)
        for e in json.loads(p.stderr or '[]'):
            first.setdefault(e['file'], e.get('path', ''))
wrong_verdicts = right = other = 0
for name, ctx, seq in cases:
    e = at_fault(ctx, seq)
    if (e is None) != (verdict.get(name) == 'valid'):
        wrong_verdicts += 1
        continue
    if e is None:
        continue
    div = '/TEI/text/body/div' + ('[2]' if ctx == 'e' else '')
    if e == -1:
        want = div
    else:
        nm = 'p' if seq[e] == 'badp' else seq[e]
        same = [j for j, x in enumerate(seq) if ('p' if x == 'badp' else x) == nm]
        want = div + '/' + nm + (f'[{same.index(e) + 1}]' if len(same) > 1 else '')
    if first.get(name) == want:
        right += 1
    else:
        other += 1
invalid = right + other
print(f'{len(cases)} sequences, {len(cases) - invalid - wrong_verdicts} valid, {invalid} invalid; '
      f'verdicts unlike the expression: {wrong_verdicts}; first diagnostic names the child at '
      f'fault: {right} of {invalid}')
