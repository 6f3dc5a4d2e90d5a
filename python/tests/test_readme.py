"""The README's Python example is run as it is written, so that it cannot rot."""

import os
import re
import subprocess
import sys

from lxml import etree

from conftest import TEI


def readme_example(source_dir):
    readme = (source_dir / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## From Python\n", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"^```python\n(.*?)^```$", section, re.S | re.M)
    assert len(blocks) == 1, "the section 'From Python' has one Python example"
    return blocks[0]


def test_the_example_has_five_lines(source_dir):
    assert len(readme_example(source_dir).splitlines()) == 5


def test_the_example_prints_what_the_command_line_makes(source_dir, cli):
    code = readme_example(source_dir)
    run = subprocess.run([sys.executable, "-c", code], cwd=source_dir, capture_output=True,
                         text=True, env=dict(os.environ))
    assert run.returncode == 0, run.stderr
    assert run.stderr == ""
    path = re.search(r'pathlib\.Path\("([^"]+)"\)', code).group(1)
    made = subprocess.run([cli, "convert", path, "-o", "-"], cwd=source_dir, capture_output=True)
    title = etree.fromstring(made.stdout).findtext(f".//{TEI}title")
    expected = title + "\n" + made.stderr.decode()
    assert made.stderr  # the example shows diagnostics
    assert run.stdout == expected
