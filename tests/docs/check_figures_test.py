#!/usr/bin/python3
"""Tests of check_figures.py's rules on small documents."""

import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import check_figures  # noqa: E402

FIGURES = check_figures.ParseFigures("""\
gen10k.copy_groups.f1 0.9958
gen10k.copy_groups.recall 0.9917
gen10k.same_outlet.percent 0.0000
ecbplus.stories.f1 0.9105
ecbplus.look_alike.percent 5.17
""")

README = """\
# x

## Quality

Run `scripts/figures.sh`; F1 at `--story-threshold` 0.10 to 0.16.

| figure | `f1` | `recall` |
|---|---|---|
| `gen10k.copy_groups` | 0.9958 | 0.9917 |

## Layout

Not checked: 0.1234.
"""

QUALITY = """\
# Quality

| figure | what | value |
|---|---|---|
| `ecbplus.stories.f1` | story F1 | 0.9105 |
| `ecbplus.look_alike.percent` | look-alike merges | 5.17% |
| `gen10k.same_outlet.percent` | same-outlet merges | 0.0000% |

<!-- figures not checked: 1M articles -->
At 1M articles copy-group F1 is 0.9876.
<!-- figures checked -->
"""


class CheckFiguresTest(unittest.TestCase):
    def Check(self, readme=README, quality=QUALITY, figures=FIGURES):
        with tempfile.TemporaryDirectory() as root:
            os.mkdir(os.path.join(root, "docs"))
            with open(os.path.join(root, "README.md"), "w") as f:
                f.write(readme)
            with open(os.path.join(root, "docs", "QUALITY.md"), "w") as f:
                f.write(quality)
            return check_figures.Check(root, figures)

    def testMatchingDocumentsPass(self):
        problems, checked, skipped = self.Check()
        self.assertEqual(problems, [])
        self.assertEqual((checked, skipped), (5, 0))

    def testDifferentValueNamesFigureDocumentAndBothValues(self):
        problems, _, _ = self.Check(readme=README.replace("0.9958", "0.9925"))
        self.assertEqual(problems, [
            "README.md:9: figure gen10k.copy_groups.f1: the document says "
            "0.9925, scripts/figures.sh prints 0.9958"])

    def testPercentIsCompared(self):
        problems, _, _ = self.Check(quality=QUALITY.replace("5.17%", "5.15%"))
        self.assertEqual(len(problems), 1)
        self.assertIn("ecbplus.look_alike.percent", problems[0])
        self.assertIn("says 5.15, scripts/figures.sh prints 5.17", problems[0])

    def testFigureOutsideATableFails(self):
        problems, _, _ = self.Check(
            readme=README.replace("0.10 to 0.16.", "0.10 to 0.16 F1 0.8975."))
        self.assertEqual(problems, [
            "README.md:5: 0.8975 is not in a figure table, so nothing checks "
            "it"])
        problems, _, _ = self.Check(
            quality=QUALITY.replace("| story F1 |", "| F1 (5.15% before) |"))
        self.assertEqual(len(problems), 1)
        self.assertIn("docs/QUALITY.md:5: 5.15%", problems[0])

    def testPlainTableIsNotAFigureTable(self):
        problems, _, _ = self.Check(quality=QUALITY.replace(
            "| figure | what |", "| name | what |"))
        self.assertIn("docs/QUALITY.md:5: 0.9105 is not in a figure table, "
                      "so nothing checks it", problems)

    def testUnknownFigureFails(self):
        problems, _, _ = self.Check(
            readme=README.replace("`recall`", "`recal`"))
        self.assertEqual(problems, [
            "README.md:9: figure gen10k.copy_groups.recal: "
            "scripts/figures.sh prints no such figure"])

    def testRowWithoutNameFails(self):
        problems, _, _ = self.Check(
            readme=README.replace("`gen10k.copy_groups`", "copy groups"))
        self.assertEqual(len(problems), 2)  # the row, then no figure at all
        self.assertIn("README.md:9: a figure table row needs", problems[0])

    def testFigureTableWithoutSeparatorFails(self):
        problems, _, _ = self.Check(readme=README.replace("|---|---|---|\n", ""))
        self.assertEqual(problems[0], "README.md:7: a figure table needs a "
                         "|---| line under its header")

    def testUnclosedUncheckedRegionFails(self):
        problems, _, _ = self.Check(
            quality=QUALITY.replace("<!-- figures checked -->\n", ""))
        self.assertEqual(problems, [
            "docs/QUALITY.md: unchecked region not closed by "
            "<!-- figures checked -->"])

    def testMissingEcbPlusFiguresAreCountedAsSkipped(self):
        figures = {k: v for k, v in FIGURES.items()
                   if not k.startswith("ecbplus")}
        problems, checked, skipped = self.Check(figures=figures)
        self.assertEqual(problems, [])
        self.assertEqual((checked, skipped), (3, 2))

    def testDocumentWithoutFiguresFails(self):
        problems, _, _ = self.Check(quality="# Quality\n\nNothing.\n")
        self.assertEqual(problems,
                         ["docs/QUALITY.md: quotes no figure in a figure table"])

    def testMissingQualitySectionFails(self):
        problems, _, _ = self.Check(readme="# x\n\n## Layout\n")
        self.assertEqual(problems, ["README.md: no '## Quality' section"])


if __name__ == "__main__":
    unittest.main()
