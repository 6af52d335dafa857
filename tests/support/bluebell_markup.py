"""A resolution's plain text written in bluebell's markup (PREFACE, PREAMBLE, PARA, SUBPARA,
FOOTNOTE), the input another AKN producer (PyPI's bluebell-akn) turns into Akoma Ntoso.

It only marks what the text prints: the lines before the opening formula as the preface, the
preambular paragraphs, each "N." paragraph and "(a)" item, each superscript footnote marker and
its footnote text, and italics (``*Recalls*`` -> ``//Recalls//``). It reads resolutions printed
one paragraph to a line, as ICC-ASP/8/Res.2 is."""

from __future__ import annotations

import re

SUPERSCRIPTS = "¹²³⁴⁵⁶⁷⁸⁹"
OPENING = "The Assembly of States Parties,"


def inline(text: str) -> str:
    text = re.sub(r"\*([^*]+)\*", r"//\1//", text)
    return re.sub(f"[{SUPERSCRIPTS}]", lambda m: "{{^{{FOOTNOTE " + str(SUPERSCRIPTS.index(m.group(0)) + 1) + "}}}}", text)


def bluebell_markup(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    notes = {SUPERSCRIPTS.index(line[0]) + 1: line[1:].strip() for line in lines if line[0] in SUPERSCRIPTS}
    body = [line for line in lines if line[0] not in SUPERSCRIPTS]
    opening = body.index(OPENING)
    out = ["PREFACE"] + [f"  {line}" for line in body[:opening]] + ["", "PREAMBLE", f"  {OPENING}", ""]
    placed: set[int] = set()

    def footnotes(words: str, indent: str) -> list[str]:
        found = [SUPERSCRIPTS.index(c) + 1 for c in words if c in SUPERSCRIPTS]
        placed.update(found)
        return [block for n in found for block in (f"{indent}FOOTNOTE {n}", f"{indent}  {inline(notes[n])}", "")]

    in_body = False
    for line in body[opening + 1:]:
        if match := re.match(r"^(\d+)\.\s+(.*)$", line):
            if not in_body:
                out += ["BODY", ""]
                in_body = True
            out += [f"PARA {match.group(1)}.", f"  {inline(match.group(2))}", ""] + footnotes(match.group(2), "  ")
        elif in_body and (match := re.match(r"^(?:-\s*)?\(?([a-z])\)\s+(.*)$", line)):
            out += [f"  SUBPARA ({match.group(1)})", f"    {inline(match.group(2))}", ""] + footnotes(match.group(2), "    ")
        elif not in_body:
            out += [f"  {inline(line)}", ""] + footnotes(line, "  ")
        else:
            raise ValueError(f"a line the markup does not place: {line[:60]!r}")
    assert placed == set(notes), "every footnote text is placed at its marker"
    return "\n".join(out) + "\n"
