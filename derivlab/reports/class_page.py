"""``graded/index.html``: the class page course staff open after ``derivlab grade``.

Self-contained (inline CSS, inline SVG figures, a few lines of plain JavaScript; no
network, no CDN): summary numbers, per-part averages, the score distribution, the first
wrong steps, the mistakes grouped by kind and by move of the course's route with the
students in each group, the review queue, and one row per submission linking to its
feedback (sortable by clicking a column, filterable by text or "needs review"). It shows
``class_summary``'s data, which is also written as ``class.json``; every name and text
from a submission is HTML-escaped.

    write_class_outputs(outcomes, out_dir, scheme) -> ClassOutputs(index.html, class.json, review.csv)
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any, Iterable
from urllib.parse import quote

from derivlab.reports.class_figures import first_wrong_bars, score_histogram
from derivlab.reports.class_summary import class_summary, write_class_json, write_review_csv
from derivlab.reports.points import TASKS, PointsScheme
from derivlab.reports.submission import SubmissionOutcome

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:1.5em auto;max-width:72em;padding:0 1em;color:#222}
h1{font-size:1.5em;margin-bottom:.2em}h2{font-size:1.15em;margin-top:1.6em;border-bottom:1px solid #ddd}
.cards{display:flex;gap:1em;flex-wrap:wrap}.card{border:1px solid #ddd;border-radius:6px;padding:.5em 1em}
.card b{display:block;font-size:1.4em}.figs{display:flex;gap:2em;flex-wrap:wrap}.figs figure{margin:0;width:26em}
table{border-collapse:collapse;font-size:.92em}th,td{border-bottom:1px solid #e4e4e4;padding:.25em .6em;text-align:left;vertical-align:top}
th{background:#f4f4f4}#subs th{cursor:pointer;user-select:none}#subs th::after{content:" \\2195";color:#aaa}
td.num{text-align:right;font-variant-numeric:tabular-nums}.review{color:#a33;font-weight:600}.ok{color:#2a7a3a}
.bad{color:#a33}.muted{color:#777}.names{font-size:.88em;color:#444}.groups{display:flex;gap:2em;flex-wrap:wrap}
#controls{margin:.5em 0}#controls input[type=search]{width:18em}
"""

_JS = """
const table=document.getElementById('subs'),body=table.tBodies[0];
const filter=document.getElementById('filter'),only=document.getElementById('only-review');
function apply(){const q=filter.value.toLowerCase();let shown=0;
 for(const r of body.rows){const hit=r.textContent.toLowerCase().includes(q)&&(!only.checked||r.dataset.review==='1');
  r.hidden=!hit;shown+=hit;}document.getElementById('shown').textContent=shown;}
function sortBy(i,dir){const th=table.tHead.rows[0].cells[i];th.dataset.dir=dir===1?'asc':'desc';
 const key=r=>{const c=r.cells[i];return c.dataset.v!==undefined?parseFloat(c.dataset.v):c.textContent.trim().toLowerCase();};
 [...body.rows].sort((a,b)=>{const x=key(a),y=key(b);return (x>y?1:x<y?-1:0)*dir;}).forEach(r=>body.appendChild(r));}
filter.addEventListener('input',apply);only.addEventListener('change',apply);
table.tHead.addEventListener('click',e=>{const th=e.target.closest('th');if(th)sortBy(th.cellIndex,th.dataset.dir==='asc'?-1:1);});
const h=new URLSearchParams(location.hash.slice(1));  // shareable views: #filter=wrong&review=1&sort=1&desc=1
if(h.has('filter'))filter.value=h.get('filter');if(h.get('review')==='1')only.checked=true;
if(h.has('sort'))sortBy(parseInt(h.get('sort'),10)||0,h.get('desc')==='1'?-1:1);
apply();document.body.dataset.ready='1';
"""


@dataclass(frozen=True)
class ClassOutputs:
    """The class-level files written at the end of a batch, and how long building them took."""

    index_html: Path
    class_json: Path
    review_csv: Path
    seconds: float


def write_class_outputs(outcomes: Iterable[SubmissionOutcome], out_dir: Path, scheme: PointsScheme) -> ClassOutputs:
    """Write ``out_dir``/index.html, class.json and review.csv for the graded ``outcomes``."""
    t0 = time.perf_counter()
    summary = class_summary(outcomes, out_dir, scheme)
    class_json = write_class_json(summary, out_dir / "class.json")
    review_csv = write_review_csv(summary, out_dir / "review.csv")
    index = out_dir / "index.html"
    index.write_text(class_page_html(summary), encoding="utf-8")
    return ClassOutputs(index, class_json, review_csv, time.perf_counter() - t0)


def class_page_html(summary: dict[str, Any]) -> str:
    """The whole page for ``summary`` (``class_summary``'s JSON)."""
    scores = summary["scores"]
    n, top = summary["submissions"], summary["max_score"]
    review = summary["review"]
    cards = [("submissions", n), ("mean score", _num(scores["mean"]) + f" / {top:g}"),
             ("median", _num(scores["median"])), ("full marks", sum(1 for r in summary["rows"] if r["score"] >= top)),
             ("needs review", len(review))]
    parts = "".join(f"<tr><td>{escape(p['part'])}</td><td class=num>{_num(p['mean'])}</td><td class=num>{p['max']:g}</td>"
                    f"<td class=num>{p['full_marks']}</td></tr>" for p in summary["parts"])
    html = [
        "<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>derivlab: graded class</title>", f"<style>{_CSS}</style></head><body>",
        "<h1>Graded class</h1>",
        '<p class=muted>Q3 dropout derivation and Q2 transformer weights, graded by derivlab. '
        "The same data is in <a href=\"class.json\">class.json</a>; the review queue in "
        '<a href="review.csv">review.csv</a>.</p>',
        '<div class=cards id=cards>' + "".join(f"<div class=card><span>{escape(k)}</span><b>{escape(str(v))}</b></div>"
                                             for k, v in cards) + "</div>",
        "<h2>Scores</h2><div class=figs>",
        f"<figure id=fig-scores>{score_histogram(scores['values'], top)}<figcaption>Score distribution</figcaption></figure>",
        f"<figure id=fig-first-wrong>{first_wrong_bars(summary['first_wrong_steps'])}"
        "<figcaption>First step that is not valid (none: every step valid)</figcaption></figure></div>",
        "<h2>Per-part averages</h2><table id=parts><thead><tr><th>part</th><th>mean</th><th>of</th>"
        f"<th>full marks</th></tr></thead><tbody>{parts}</tbody></table>",
        "<h2>Mistakes</h2><div class=groups>",
        _group_table("mistakes-by-kind", "by kind of mistake", summary["mistakes_by_kind"]),
        _group_table("mistakes-by-route", "by move of the course's route", summary["mistakes_by_route"]),
        "</div>",
        f"<h2>Needs review ({len(review)})</h2>", _review_table(review),
        f"<h2>Submissions (<span id=shown>{n}</span> shown)</h2>",
        '<div id=controls><input type=search id=filter placeholder="filter: name, verdict, mistake…" '
        'aria-label="filter submissions"> <label><input type=checkbox id=only-review> needs review only</label></div>',
        _submissions_table(summary["rows"]),
        f"<script>{_JS}</script></body></html>",
    ]
    return "\n".join(html) + "\n"


def _num(x: Any) -> str:
    return "–" if x is None else f"{x:.3g}" if isinstance(x, float) else str(x)


def _link(path: str, text: str) -> str:
    if not path:
        return f"<span class=muted>{escape(text)}</span>"
    return f'<a href="{escape(quote(path))}">{escape(text)}</a>'


def _group_table(ident: str, title: str, groups: list[dict[str, Any]]) -> str:
    if not groups:
        return f"<div><h3>{escape(title)}</h3><p id={ident} class=muted>no mistakes</p></div>"
    rows = "".join(f"<tr><td>{escape(g['group'])}</td><td class=num>{g['steps']}</td>"
                   f"<td class=num>{len(g['students'])}</td><td class=names>{escape(', '.join(g['students']))}</td></tr>"
                   for g in groups)
    return (f"<div><h3>{escape(title)}</h3><table id={ident}><thead><tr><th>mistake</th><th>steps</th>"
            f"<th>students</th><th>who</th></tr></thead><tbody>{rows}</tbody></table></div>")


def _review_table(review: list[dict[str, Any]]) -> str:
    if not review:
        return "<p id=review class=muted>nothing to review</p>"
    rows = "".join(
        f"<tr><td>{_link(r['feedback'], r['submission'])}</td><td class=num>{_num(r['score'])}</td>"
        f"<td class=num>{_num(r['held_points'])}</td><td><ul>{''.join(f'<li>{escape(x)}</li>' for x in r['reasons'])}</ul></td></tr>"
        for r in review)
    return ("<table id=review><thead><tr><th>submission</th><th>score</th><th>points held</th><th>why</th></tr>"
            f"</thead><tbody>{rows}</tbody></table>")


def _submissions_table(rows: list[dict[str, Any]]) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in (
        "submission", "score", "Q3 derivation", "first wrong step", "first mistake", *TASKS, "review"))
    body = []
    for r in rows:
        derivation = r["parts"]["Q3 derivation"]
        step = r["first_bad_step"]
        weights = "".join(f"<td class={'ok' if r['weights'][t] == 'pass' else 'bad'}>{escape(str(r['weights'][t]))}</td>"
                          for t in TASKS)
        flag = (f"<td class=review title=\"{escape(' | '.join(r['review_reasons']))}\">needs review</td>"
                if r["needs_review"] else "<td class=muted>–</td>")
        body.append(
            f"<tr data-review={'1' if r['needs_review'] else '0'}><td>{_link(r['feedback'], r['submission'])}</td>"
            f"<td class=num data-v=\"{r['score']}\">{_num(r['score'])} / {r['max_score']:g}</td>"
            f"<td class=num data-v=\"{derivation}\">{_num(derivation)}</td>"
            f"<td class=num data-v=\"{step if step is not None else 999}\">{escape(str(step)) if step is not None else '–'}</td>"
            f"<td>{escape(r['first_mistake'] or r['derivation_verdict'])}</td>{weights}{flag}</tr>")
    return f"<table id=subs><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
