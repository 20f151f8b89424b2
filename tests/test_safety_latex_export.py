"""Exported BibTeX cannot read, write or run anything in the document that cites it.

A stranger's BibTeX file is imported, and the papers are exported again
(`reader export --format bibtex -o refs.bib` and `reader cite`), the way a
user hands them to LaTeX. The exported text is checked against the allowed
set of control words, always. Where `pdflatex` and `bibtex` are installed the
test goes further and does what the attacker hoped the user would do:
compiles a document citing every entry with the stock `plain.bst`, with
`-shell-escape` on, and shows that no file was written, no program ran and the
secret file's text is nowhere in the output.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import run_reader
from reader.core.latex_safe import ALLOWED_SYMBOLS, ALLOWED_WORDS

SECRET = "TOPSECRET4c9e"
VICTIM = "% the user's own file\n"

#: Control words that read files, write files, run programs or define
#: others: none may ever leave reader, whatever the allowed set becomes.
NEVER = {
    "input", "include", "openin", "read", "openout", "write", "immediate",
    "closeout", "special", "def", "edef", "gdef", "let", "catcode", "csname",
    "expandafter", "newcommand", "renewcommand", "usepackage", "string",
    "scantokens", "directlua", "ShellEscape", "verbatiminput", "lstinputlisting",
}


def hostile_bib(secret: Path) -> str:
    path = secret.as_posix()
    return rf"""
@article{{readsecret,
  title = {{Reading $\input{{{path}}}$ Files}},
  author = {{Mallory, Eve}},
  journal = {{Journal of $\input{{{path}}}$}},
  note = {{$\input{{{path}}}$}},
  year = {{2024}},
}}
@article{{writes,
  title = {{Write $\immediate\openout7=victim.tex \immediate\write7{{pwned}}\immediate\closeout7$ Now}},
  year = {{2024}},
}}
@inproceedings{{runs,
  title = {{Shell $\immediate\write18{{touch ran.txt}}$ Escape}},
  booktitle = {{Proc. $\csname input\endcsname{{{path}}}$}},
  year = {{2024}},
}}
@article{{caret,
  title = {{Carets $x^^5cinput^^7b{path}^^7d$ Hidden}},
  year = {{2024}},
}}
@article{{price,
  title = {{Price $5 and $10 of $\alpha$-Divergence}},
  year = {{2024}},
}}
"""


def control_words(text: str) -> list[str]:
    """Every control sequence in `text`, read as TeX reads it, left to right."""
    return re.findall(r"\\([A-Za-z]+|.)", text, flags=re.DOTALL)


#: What plain.bst itself writes around the entries in the .bbl.
BST_WORDS = {"begin", "end", "bibitem", "newblock", "em"}


def check_text(text: str, also: frozenset[str] | set[str] = frozenset()) -> None:
    words = control_words(text)
    assert not set(words) & NEVER, sorted(set(words) & NEVER)
    allowed = ALLOWED_WORDS | ALLOWED_SYMBOLS | also
    outside = {w for w in words if w not in allowed}
    assert not outside, sorted(outside)
    assert "^^" not in text
    assert SECRET not in text


def compile_document(doc: Path) -> subprocess.CompletedProcess[str]:
    """pdflatex, bibtex, pdflatex, pdflatex, as a user would; shell escape on."""
    latex = ["pdflatex", "-shell-escape", "-interaction=nonstopmode", "main.tex"]
    for cmd in (latex, ["bibtex", "main"], latex, latex):
        done = subprocess.run(cmd, check=False, cwd=doc, capture_output=True, text=True, timeout=300)
    return done


@pytest.mark.slow
def test_exported_bibtex_cannot_read_write_or_run(tmp_path, db):
    doc = tmp_path / "doc"
    doc.mkdir()
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET + "\n")
    source = tmp_path / "hostile.bib"
    source.write_text(hostile_bib(secret))
    imported = run_reader("import", str(source), db=db)
    assert imported.returncode == 0, imported.stderr
    assert "added 5" in imported.stdout

    exported = run_reader("export", "--format", "bibtex", "-o", str(doc / "refs.bib"), db=db)
    assert exported.returncode == 0, exported.stderr
    refs = (doc / "refs.bib").read_text()
    cited = run_reader("cite", "readsecret", "writes", "runs", "caret", "price", db=db)
    assert cited.returncode == 0, cited.stderr

    # The text check, with or without TeX on this machine.
    for text in (refs, cited.stdout):
        check_text(text)
        assert "{\\textbackslash}input" in text  # the attack prints as text
        assert "Price \\$5 and \\$10 of {$\\alpha$}-Divergence" in text

    if not (shutil.which("pdflatex") and shutil.which("bibtex")):
        return
    (doc / "victim.tex").write_text(VICTIM)
    (doc / "main.tex").write_text(
        "\\documentclass{article}\n\\begin{document}\nSee \\nocite{*}.\n"
        "\\bibliographystyle{plain}\n\\bibliography{refs}\n\\end{document}\n"
    )
    compile_document(doc)
    assert (doc / "main.pdf").exists(), (doc / "main.log").read_text(errors="replace")[-2000:]
    assert (doc / "victim.tex").read_text() == VICTIM
    assert not (doc / "ran.txt").exists()
    assert sorted(p.name for p in doc.iterdir() if p.suffix not in {".aux", ".bbl", ".blg", ".log", ".pdf"}) == [
        "main.tex", "refs.bib", "victim.tex",
    ]
    bbl = (doc / "main.bbl").read_text()
    check_text(bbl, BST_WORDS)
    log = (doc / "main.log").read_text(errors="replace")
    assert SECRET not in log
    assert "(" + str(secret) not in log.replace("\n", "")  # TeX never opened it
    if shutil.which("pdftotext"):
        shown = subprocess.run(
            ["pdftotext", "main.pdf", "-"], check=False, cwd=doc, capture_output=True, text=True, timeout=60
        ).stdout
        assert SECRET not in shown
        # The hostile titles print as written.
        assert "\\input" in shown
        assert "price $5 and $10 of α-divergence" in shown.lower()  # plain.bst lowers titles
