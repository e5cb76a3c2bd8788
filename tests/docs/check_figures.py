#!/usr/bin/python3
"""Fails when README.md or docs/QUALITY.md quote a figure that differs from
what scripts/figures.sh prints.

Usage: check_figures.py --bin-dir DIR | --figures FILE

How the documents mark the figures they quote:
- A figure table is a Markdown table whose header's first cell is `figure`.
  The first cell of each row is a name in backticks, e.g. `ecbplus.stories`.
  A header cell that is a name in backticks, e.g. `f1`, makes its column
  hold the figure `<row name>.<header name>`; the header `value` makes its
  column hold the figure named by the row. Other columns are free text.
  A checked cell holds the value exactly as the script prints it, with an
  optional `%` after it.
- Checked text: README.md from `## Quality` to the next `## ` heading, and
  all of docs/QUALITY.md, except the lines between
  `<!-- figures not checked: REASON -->` and `<!-- figures checked -->`
  (figures of corpora the script does not measure). In checked text every
  number written as eval writes its measures (four decimals, or a percentage
  with two or more) must be a checked cell.

Exit codes: 0 every quoted figure matches; 1 a figure differs, is unknown or
is not in a figure table (each one named on stderr); 77 everything the
script measured matches but the ECB+ folder is absent, so its figures went
unchecked (ctest reports the test as skipped).
"""

import argparse
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
EXIT_SKIPPED = 77
EXIT_NO_ECBPLUS = 3  # scripts/figures.py
ECBPLUS_PREFIX = "ecbplus"
NAME = re.compile(r"^`([A-Za-z0-9_.+=-]+)`$")
FIGURE_LIKE = re.compile(r"(?<![\w.])\d+\.\d{4,}(?![\w])|\d+\.\d{2,}%")
UNCHECKED_START = re.compile(r"^<!-- figures not checked: .+ -->$")
UNCHECKED_END = "<!-- figures checked -->"


def ParseFigures(text):
    figures = {}
    for line in text.splitlines():
        if line.strip():
            name, value = line.split(" ", 1)
            figures[name] = value.strip()
    return figures


def Cells(line):
    return [c.strip() for c in line.strip().strip("|").split("|")]


def CheckedLines(lines, start, end, where, problems):
    """(line number, text) of the checked lines of lines[start:end]."""
    out = []
    skipping = False
    for i in range(start, end):
        text = lines[i].strip()
        if UNCHECKED_START.match(text):
            skipping = True
        elif text == UNCHECKED_END:
            if not skipping:
                problems.append("%s:%d: %s without an opening marker" %
                                (where, i + 1, UNCHECKED_END))
            skipping = False
        elif not skipping:
            out.append((i + 1, lines[i]))
    if skipping:
        problems.append("%s: unchecked region not closed by %s" %
                        (where, UNCHECKED_END))
    return out


def QuotedFigures(numbered, where, problems):
    """Finds the figure tables; returns [(line, name, value)] and records
    figure-like numbers outside checked cells in problems."""
    quoted, free = [], []
    i = 0
    while i < len(numbered):
        rows = []
        while i < len(numbered) and numbered[i][1].lstrip().startswith("|"):
            rows.append(numbered[i])
            i += 1
        if not rows:
            free.append(numbered[i])
            i += 1
        elif Cells(rows[0][1])[0] == "figure":
            free += FigureTable(rows, where, quoted, problems)
        else:
            free += rows
    for number, text in free:
        for match in FIGURE_LIKE.finditer(text):
            problems.append(
                "%s:%d: %s is not in a figure table, so nothing checks it" %
                (where, number, match.group(0)))
    return quoted


def FigureTable(rows, where, quoted, problems):
    """Adds the table's checked cells to quoted; returns its free text as
    (line, text)."""
    header = Cells(rows[0][1])
    suffixes = {}
    for j, cell in enumerate(header[1:], 1):
        m = NAME.match(cell)
        if m:
            suffixes[j] = "." + m.group(1)
        elif cell == "value":
            suffixes[j] = ""
    free = [(rows[0][0], cell) for j, cell in enumerate(header)
            if j and j not in suffixes]
    if len(rows) < 2 or not re.match(r"^[|:\s-]+$", rows[1][1]):
        problems.append("%s:%d: a figure table needs a |---| line under its "
                        "header" % (where, rows[0][0]))
        return free
    for number, line in rows[2:]:
        cells = Cells(line)
        m = NAME.match(cells[0])
        if not m or len(cells) != len(header):
            problems.append("%s:%d: a figure table row needs a `name` in its "
                            "first cell and %d cells" %
                            (where, number, len(header)))
            continue
        for j, cell in enumerate(cells[1:], 1):
            if j in suffixes:
                value = cell[:-1] if cell.endswith("%") else cell
                quoted.append((number, m.group(1) + suffixes[j], value))
            else:
                free.append((number, cell))
    return free


def DocumentProblems(path, label, figures, section=None):
    """Checks one document; returns (problems, number checked, skipped)."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().splitlines()
    problems = []
    start, end = 0, len(lines)
    if section:
        heads = [i for i, l in enumerate(lines) if l.strip() == section]
        if not heads:
            return ["%s: no '%s' section" % (label, section)], 0, 0
        start = heads[0] + 1
        end = next((i for i in range(start, len(lines))
                    if lines[i].startswith("## ")), len(lines))
    numbered = CheckedLines(lines, start, end, label, problems)
    quoted = QuotedFigures(numbered, label, problems)
    have_ecbplus = any(n.startswith(ECBPLUS_PREFIX) for n in figures)
    checked = skipped = 0
    for number, name, value in quoted:
        if name in figures:
            checked += 1
            if figures[name] != value:
                problems.append(
                    "%s:%d: figure %s: the document says %s, "
                    "scripts/figures.sh prints %s" %
                    (label, number, name, value, figures[name]))
        elif name.startswith(ECBPLUS_PREFIX) and not have_ecbplus:
            skipped += 1
        else:
            problems.append("%s:%d: figure %s: scripts/figures.sh prints no "
                            "such figure" % (label, number, name))
    if not quoted:
        problems.append("%s: quotes no figure in a figure table" % label)
    return problems, checked, skipped


def Check(root, figures):
    """Returns (problems, checked, skipped) over both documents."""
    problems, checked, skipped = [], 0, 0
    for rel, section in (("README.md", "## Quality"),
                         (os.path.join("docs", "QUALITY.md"), None)):
        p, c, s = DocumentProblems(os.path.join(root, rel), rel, figures,
                                   section)
        problems += p
        checked += c
        skipped += s
    return problems, checked, skipped


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--bin-dir", help="run scripts/figures.sh on these")
    source.add_argument("--figures", help="a saved scripts/figures.sh output")
    args = parser.parse_args()
    no_ecbplus = False
    if args.figures:
        with open(args.figures, encoding="utf-8") as f:
            text = f.read()
    else:
        done = subprocess.run(
            ["bash", os.path.join(ROOT, "scripts", "figures.sh"),
             args.bin_dir], stdout=subprocess.PIPE, text=True)
        if done.returncode not in (0, EXIT_NO_ECBPLUS):
            print("check_figures: scripts/figures.sh failed (exit %d)" %
                  done.returncode, file=sys.stderr)
            return 1
        no_ecbplus = done.returncode == EXIT_NO_ECBPLUS
        text = done.stdout
    figures = ParseFigures(text)
    problems, checked, skipped = Check(ROOT, figures)
    for p in problems:
        print(p, file=sys.stderr)
    print("check_figures: %d quoted figures checked, %d problems" %
          (checked, len(problems)))
    if problems:
        return 1
    if no_ecbplus or skipped:
        print("check_figures: SKIPPED: ECB+ data absent, %d quoted ECB+ "
              "figures not checked" % skipped)
        return EXIT_SKIPPED
    return 0


if __name__ == "__main__":
    sys.exit(main())
