"""`gocheck report`: one self-contained HTML page with the verdicts and every counterexample.

The page needs nothing from the network: CSS and script are inline and the timelines are
SVG. Each run shows its story (explain.py's accounts), its timeline with a lane per P and per
M, and a step table; the machine state after every step (queues, runnext, P and M states,
goroutines, channels) is rendered here, hidden, and the script only shows the one selected.
That keeps the script small and lets a test read every panel from the DOM. `#step=3` (or
`#cx=1&step=3`) in the address selects a step on load; arrow keys move through a run.
The page is a function of the verification: no clock, no random ids.
"""

from __future__ import annotations

import re
from html import escape

from gocheck.lang.machine_keys import MACHINE_KEYS
from gocheck.report.describe import Scene
from gocheck.report.explain import Account, accounts, size
from gocheck.report.svg import G_FILLS, KIND_FILLS, timeline_svg
from gocheck.verify import Verification

VERDICT_CLASS = {"holds": "ok", "violated": "bad", "unknown": "unknown"}


def report_html(v: Verification, source: str) -> str:
    """The whole page."""
    scene = Scene(v.machine, source)
    told = accounts(v, scene)
    body = [_header(v), _verdicts(v, told)]
    body += [_run(scene, a, i) for i, a in enumerate(told)]
    body.append(_source(source))
    title = escape(f"gocheck report: {v.spec.path}")
    return "\n".join([
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{title}</title>",
        f"<style>{_CSS}</style></head>",
        "<body>",
        '<pre id="js-errors" hidden></pre>',
        f"<script>{_ERRORS_JS}</script>",
        "<main>", *body, "</main>",
        f"<script>{_JS}</script>",
        "</body></html>",
    ]) + "\n"


def _prose(text: str) -> str:
    """Escaped text with `code` spans as <code>."""
    return re.sub(r"`([^`]*)`", r"<code>\1</code>", escape(text))


def _header(v: Verification) -> str:
    stats = v.result.stats
    cfg = v.machine.cfg
    keys = "".join(
        f"<tr><th>{k.name}</th><td>{_value(getattr(cfg, k.name))}</td>"
        f"<td class='doc'>{escape(k.doc)}</td></tr>" for k in MACHINE_KEYS)
    stopped = (f"<p class='unknown'>search stopped early: {escape(stats.stop_reason)}</p>"
               if stats.stop_reason else "")
    return (f"<header><h1>gocheck report: <code>{escape(v.spec.path)}</code></h1>"
            f"<p>{stats.states:,} states and {stats.transitions:,} transitions explored.</p>"
            f"{stopped}<details><summary>machine</summary><table class='kv'>{keys}</table>"
            "</details></header>")


def _value(value: object) -> str:
    return ("on" if value else "off") if isinstance(value, bool) else escape(str(value))


def _verdicts(v: Verification, told: list[Account]) -> str:
    where = {a.run.name: i for i, a in enumerate(told) if a.why is not None}
    rows = []
    for p in v.result.properties:
        note = ""
        if p.name in where:
            i = where[p.name]
            note = f"<a href='#cx={i}&amp;step={len(told[i].run.steps)}' " \
                   f"data-goto='{i}'>{escape(size(told[i].run))}</a>"
        elif p.reason:
            note = escape(p.reason)
        rows.append(f"<tr><th>{escape(p.name)}</th><td class='verdict "
                    f"{VERDICT_CLASS[p.verdict]}'>{p.verdict}</td><td>{note}</td></tr>")
    return ("<section id='verdicts'><h2>Verdicts</h2><table class='verdicts'>"
            + "".join(rows) + "</table></section>")


def _run(scene: Scene, account: Account, cx: int) -> str:
    run = account.run
    title = (f"{escape(run.name)} is violated" if account.why is not None
             else "Every property holds: a shortest run in which main returns")
    parts = [f"<section class='run' id='run-{cx}' data-cx='{cx}'>",
             f"<h2>{title}</h2><p class='size'>{escape(size(run))}. Click a step, a row or "
             "a column (or use the arrow keys) to see the machine state after it.</p>",
             f"<div class='timeline-wrap'>{timeline_svg(list(run.states), cx, run.loop_start)}"
             f"</div>{_legend(run.states)}",
             "<div class='split'>", _steps(account, cx), _states(scene, account, cx), "</div>"]
    if account.why is not None:
        parts.append(f"<h3>Why it breaks {escape(run.name)}</h3><p>{_prose(account.why)}</p>")
    if account.changes:
        parts.append("<h3>What would change the verdict</h3><ul>"
                     + "".join(f"<li>{_prose(c)}</li>" for c in account.changes) + "</ul>")
    parts.append("</section>")
    return "".join(parts)


def _legend(states: tuple[tuple, ...]) -> str:
    gs = len(states[-1][0])
    items = [f"<span><i style='background:{G_FILLS[g % len(G_FILLS)]}'></i>G{g} runs</span>"
             for g in range(gs)]
    names = {"syscall": "in a syscall", "spin": "spinning M", "sched": "M scheduling",
             "idle": "idle / parked"}
    items += [f"<span><i style='background:{KIND_FILLS[k]}'></i>{names[k]}</span>"
              for k in names]
    return f"<p class='legend'>{''.join(items)}</p>"


def _steps(account: Account, cx: int) -> str:
    run = account.run
    rows = [f"<tr data-cx='{cx}' data-step='0'><td class='n'>0</td><td></td>"
            "<td>the initial state: M0 runs main on P0</td></tr>"]
    for i, (step, told) in enumerate(zip(run.steps, account.told, strict=True), 1):
        if i - 1 == run.loop_start:
            rows.append("<tr class='cycle-row'><td></td><td colspan='2'>the cycle starts here "
                        "and repeats forever</td></tr>")
        why = f"<div class='why'>why: {_prose(told.why)}</div>" if told.why else ""
        rows.append(f"<tr data-cx='{cx}' data-step='{i}'><td class='n'>{i}</td>"
                    f"<td class='who'>{escape(step.who)}</td>"
                    f"<td><div class='action'>{escape(step.action)}</div>"
                    f"<div>{_prose(told.text)}</div>{why}</td></tr>")
    if run.loop_start is not None and run.loop_start == len(run.steps):
        rows.append("<tr class='cycle-row'><td></td><td colspan='2'>the run stays in this last "
                    "state forever</td></tr>")
    return ("<table class='steps'><thead><tr><th>#</th><th>actor</th><th>what happens</th>"
            "</tr></thead><tbody>" + "".join(rows) + "</tbody></table>")


def _states(scene: Scene, account: Account, cx: int) -> str:
    run = account.run
    panels = []
    for i, state in enumerate(run.states):
        head = "Initial state" if i == 0 else (
            f"After step {i}: {escape(run.steps[i - 1].who)} "
            f"<code>{escape(run.steps[i - 1].action)}</code>")
        snap = scene.snapshot(state)
        panels.append(
            f"<div class='state' data-cx='{cx}' data-state='{i}' hidden><h3>{head}</h3>"
            + _table("Ps", snap["P"]) + _table("Ms", snap["M"]) + _table("goroutines", snap["G"])
            + _table("scheduler", snap["scheduler"]) + _table("synchronisation", snap["sync"])
            + "</div>")
    return "<div class='states'>" + "".join(panels) + "</div>"


def _table(caption: str, rows: list[dict[str, str]]) -> str:
    if not rows:
        return ""
    cols = list(rows[0])
    head = "".join(f"<th>{escape(c)}</th>" for c in cols)
    body = "".join("<tr>" + "".join(f"<td>{_prose(r[c])}</td>" for c in cols) + "</tr>"
                   for r in rows)
    return (f"<table class='snap'><caption>{caption}</caption><thead><tr>{head}</tr></thead>"
            f"<tbody>{body}</tbody></table>")


def _source(source: str) -> str:
    lines = "".join(f"<span class='ln'>{i}</span>{escape(line)}\n"
                    for i, line in enumerate(source.splitlines(), 1))
    return f"<details class='source'><summary>spec source</summary><pre>{lines}</pre></details>"


_CSS = """
:root { --fg: #1f2933; --muted: #616e7c; --line: #d9e2ec; --sel: #1f2933; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif;
       color: var(--fg); background: #fff; }
main { max-width: 1400px; margin: 0 auto; padding: 16px 24px 48px; }
h1 { font-size: 20px; margin: 8px 0; } h2 { font-size: 17px; margin: 28px 0 4px; }
h3 { font-size: 14px; margin: 16px 0 4px; }
code, pre { font: 12.5px/1.4 ui-monospace, "SF Mono", Menlo, Consolas, monospace; }
code { background: #f0f4f8; padding: 0 3px; border-radius: 3px; }
table { border-collapse: collapse; }
th, td { text-align: left; vertical-align: top; padding: 3px 8px;
         border-bottom: 1px solid var(--line); }
.kv td.doc, .size, .legend { color: var(--muted); }
.verdict { font-weight: 600; } .ok { color: #1e7b34; } .bad { color: #b42318; }
.unknown { color: #9a6700; }
.run { border-top: 2px solid var(--line); margin-top: 24px; }
.timeline-wrap { overflow-x: auto; padding: 4px 0; }
svg.timeline { display: block; font: 11px ui-monospace, Menlo, Consolas, monospace; }
svg .lane-label { font-weight: 700; fill: var(--fg); }
svg .step-no { text-anchor: middle; fill: var(--muted); }
svg .cell-label { text-anchor: middle; pointer-events: none; }
svg .cell { shape-rendering: crispEdges; }
svg .hit { fill: transparent; cursor: pointer; }
svg .col:hover .hit { fill: #f0f4f8; }
svg .col.on .hit { fill: #e3ecf7; }
svg .col.on .cell { stroke: var(--sel); stroke-width: 2; }
svg .cycle { stroke: #b42318; stroke-dasharray: 4 3; }
svg .cycle-label { fill: #b42318; }
.legend span { margin-right: 14px; white-space: nowrap; }
.legend i { display: inline-block; width: 12px; height: 12px; margin-right: 4px;
            vertical-align: -2px; border: 1px solid #bbb; }
.split { display: flex; gap: 24px; align-items: flex-start; }
.steps { flex: 1 1 55%; }
.steps tbody tr[data-step] { cursor: pointer; }
.steps tbody tr[data-step]:hover { background: #f5f7fa; }
.steps tr.on { background: #e3ecf7; }
.steps td.n { color: var(--muted); text-align: right; }
.steps td.who { white-space: nowrap; font-family: ui-monospace, Menlo, Consolas, monospace; }
.steps .action { font: 12px ui-monospace, Menlo, Consolas, monospace; color: var(--muted); }
.steps .why { color: #7c4a03; margin-top: 2px; }
.cycle-row td { color: #b42318; font-weight: 600; }
.states { flex: 1 1 45%; position: sticky; top: 8px; max-height: 96vh; overflow: auto; }
.snap { margin-bottom: 10px; width: 100%; }
.snap caption { text-align: left; font-weight: 600; padding: 2px 0; }
.source pre { background: #f8fafc; padding: 8px; overflow-x: auto; }
.source .ln { display: inline-block; width: 3em; color: var(--muted); user-select: none; }
#js-errors { color: #b42318; }
@media (max-width: 900px) { .split { flex-direction: column; } .states { position: static; } }
"""

# Runs first, before anything else can fail: every error lands in the page, where a
# headless browser's DOM dump (the tests) can see it.
_ERRORS_JS = """
(function () {
  var box = document.getElementById('js-errors');
  function note(text) { box.hidden = false; box.textContent += text + '\\n'; }
  window.addEventListener('error', function (e) { note('error: ' + e.message); });
  window.addEventListener('unhandledrejection', function (e) { note('rejection: ' + e.reason); });
  var original = console.error;
  console.error = function () {
    note('console.error: ' + Array.prototype.join.call(arguments, ' '));
    original.apply(console, arguments);
  };
})();
"""

_JS = """
(function () {
  var current = 0;
  function runOf(cx) { return document.querySelector('section.run[data-cx="' + cx + '"]'); }
  function last(cx) { return runOf(cx).querySelectorAll('.state').length - 1; }
  function select(cx, step) {
    var run = runOf(cx);
    if (!run) { return; }
    step = Math.max(0, Math.min(step, last(cx)));
    current = cx;
    run.dataset.step = String(step);
    run.querySelectorAll('.state').forEach(function (p) {
      p.hidden = p.dataset.state !== String(step);
    });
    run.querySelectorAll('[data-step]').forEach(function (el) {
      el.classList.toggle('on', el.dataset.step === String(step));
    });
  }
  function fromHash() {
    var m = /(?:^#|&)(?:cx=(\\d+)&)?step=(\\d+)/.exec(location.hash);
    return m ? { cx: Number(m[1] || 0), step: Number(m[2]) } : null;
  }
  document.addEventListener('click', function (e) {
    var goto = e.target.closest('[data-goto]');
    if (goto) {
      var cx = Number(goto.dataset.goto);
      select(cx, last(cx));
      runOf(cx).scrollIntoView();
      e.preventDefault();
      return;
    }
    var hit = e.target.closest('[data-step]');
    if (hit && hit.dataset.cx !== undefined) {
      select(Number(hit.dataset.cx), Number(hit.dataset.step));
    }
  });
  document.addEventListener('keydown', function (e) {
    var run = runOf(current);
    if (!run || (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft')) { return; }
    select(current, Number(run.dataset.step) + (e.key === 'ArrowRight' ? 1 : -1));
    e.preventDefault();
  });
  document.querySelectorAll('section.run').forEach(function (run) {
    var cx = Number(run.dataset.cx);
    select(cx, last(cx));
  });
  var wanted = fromHash();
  if (wanted) { select(wanted.cx, wanted.step); }
  window.addEventListener('hashchange', function () {
    var w = fromHash();
    if (w) { select(w.cx, w.step); }
  });
  document.documentElement.dataset.ready = String(Math.round(performance.now()));
})();
"""
