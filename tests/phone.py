"""The built pages on a phone: screenshots at 375 px and a layout check of every figure.

    python tests/phone.py                      # _build/html -> _build/phone/
    python tests/phone.py _build/html --width 375 --out _build/phone --page book/02_ngrams

For each page (or the ``--page`` ones) it writes ``OUT/<page>/page.png`` (the whole page)
and ``OUT/<page>/figure-NN.png`` (each plotly figure as the reader sees it), and prints,
per figure, what the layout check finds: a figure wider than the screen, titles, axis
titles, subplot titles, buttons and sliders that overlap one another, or text cut off at
the figure's edge.  Exit status 1 if anything was found.  ``tests/test_book.py`` runs the
same check (``test_phone_layout``).  Needs Debian's chromium at /usr/bin/chromium.
"""
from __future__ import annotations

import argparse
import functools
import http.server
import sys
import threading
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PHONE = {"width": 375, "height": 812}

# Per figure: the layout problems a reader would see.  Boxes compared: the figure title,
# axis titles, annotations (subplot titles are annotations), update-menu buttons and
# sliders; two of them overlap when they share more than 15% of the smaller one's area.
# Tick labels of one axis must not run into each other; nothing may be cut at the edge.
PHONE_PROBE = """
() => {
  const vw = document.documentElement.clientWidth;
  const box = (el) => { const r = el.getBoundingClientRect(); return {x0: r.left, x1: r.right, y0: r.top, y1: r.bottom, w: r.width, h: r.height}; };
  const name = (el) => {
    const cls = (el.getAttribute('class') || '').split(' ')[0];
    const text = (el.textContent || '').trim().slice(0, 40);
    return text ? `${cls} "${text}"` : cls;
  };
  const out = [];
  document.querySelectorAll('.js-plotly-plot').forEach((gd, index) => {
    const issues = [];
    const fig = box(gd);
    if (fig.w === 0) return;
    if (fig.x1 > vw + 1 || fig.x0 < -1) issues.push(`figure spans ${Math.round(fig.x0)}..${Math.round(fig.x1)} px on a ${vw} px screen`);
    const svg = gd.querySelector('.main-svg') ? box(gd.querySelector('.main-svg')) : fig;
    const items = [];
    const add = (sel) => gd.querySelectorAll(sel).forEach(el => { const b = box(el); if (b.w > 0 && b.h > 0 && (el.textContent || '').trim() !== '' || sel.includes('menu') || sel.includes('slider')) if (b.w > 0 && b.h > 0) items.push([el, b]); });
    add('.gtitle'); add('.infolayer .g-gtitle text'); add('.xtitle'); add('.ytitle');
    add('[class^="x"][class$="title"]'); add('[class^="y"][class$="title"]');
    add('.annotation'); add('.updatemenu-header-group'); add('.updatemenu-button');
    add('.slider-container');
    const seen = new Set();
    const uniq = items.filter(([el]) => { if (seen.has(el)) return false; seen.add(el); return true; });
    for (const [el, b] of uniq) {
      if (b.x0 < svg.x0 - 2 || b.x1 > svg.x1 + 2 || b.y0 < svg.y0 - 2 || b.y1 > svg.y1 + 2)
        issues.push(`${name(el)} is cut off at the figure's edge`);
    }
    for (let i = 0; i < uniq.length; i++) for (let j = i + 1; j < uniq.length; j++) {
      const [ea, a] = uniq[i], [eb, b] = uniq[j];
      if (ea.contains(eb) || eb.contains(ea)) continue;
      const w = Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0), h = Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0);
      if (w <= 0 || h <= 0) continue;
      if (w * h > 0.15 * Math.min(a.w * a.h, b.w * b.h)) issues.push(`${name(ea)} overlaps ${name(eb)}`);
    }
    // tick labels of one axis that run into each other (categorical axes are not thinned)
    const axes = {};
    gd.querySelectorAll('g[class$="tick"] text, g[class$="tick2"] text').forEach(el => {
      const key = el.parentNode.getAttribute('class');
      const b = box(el);
      if (b.w > 0 && (el.textContent || '').trim()) (axes[key] = axes[key] || []).push([el, b]);
    });
    for (const [key, ticks] of Object.entries(axes)) {
      const horizontal = key.startsWith('x');
      ticks.sort((p, q) => horizontal ? p[1].x0 - q[1].x0 : p[1].y0 - q[1].y0);
      for (let i = 1; i < ticks.length; i++) {
        const [ea, a] = ticks[i - 1], [eb, b] = ticks[i];
        const gap = horizontal ? b.x0 - a.x1 : b.y0 - a.y1;
        const cross = horizontal ? Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0) : Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0);
        if (gap < -1 && cross > 0) { issues.push(`tick labels "${ea.textContent}" and "${eb.textContent}" run into each other`); break; }
      }
    }
    out.push({index, issues: [...new Set(issues)]});
  });
  return out;
}
"""


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(directory: Path):
    """Serve ``directory`` on 127.0.0.1; returns (base url, server)."""
    httpd = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(directory)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{httpd.server_address[1]}/", httpd


def open_phone_page(browser, base: str, rel: str, width: int = 375):
    """A new page at phone size with ``rel``.html loaded and its figures drawn."""
    page = browser.new_page(viewport={**PHONE, "width": width}, device_scale_factor=2)
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(base) else r.abort())
    page.goto(base + rel + ".html", wait_until="load", timeout=60_000)
    page.wait_for_timeout(2000)
    return page


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("html", nargs="?", type=Path, default=Path("_build/html"))
    parser.add_argument("--out", type=Path, default=Path("_build/phone"))
    parser.add_argument("--width", type=int, default=PHONE["width"])
    parser.add_argument("--page", action="append", default=[],
                        help="page path without .html, e.g. book/02_ngrams (repeatable)")
    parser.add_argument("--no-screenshots", action="store_true")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    pages = args.page or sorted(str(p.relative_to(args.html).with_suffix(""))
                                for p in (args.html / "book").glob("*.html"))
    base, httpd = serve(args.html)
    found = 0
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            for rel in pages:
                page = open_phone_page(browser, base, rel, args.width)
                report = page.evaluate(PHONE_PROBE)
                folder = args.out / rel
                if not args.no_screenshots:
                    folder.mkdir(parents=True, exist_ok=True)
                    page.screenshot(path=str(folder / "page.png"), full_page=True)
                    for k, handle in enumerate(page.query_selector_all(".js-plotly-plot")):
                        handle.scroll_into_view_if_needed()
                        handle.screenshot(path=str(folder / f"figure-{k:02d}.png"))
                print(f"{rel}: {len(report)} figures at {args.width} px"
                      + ("" if args.no_screenshots else f", screenshots in {folder}/"))
                for fig in report:
                    for issue in fig["issues"]:
                        found += 1
                        print(f"  figure {fig['index']:2d}: {issue}")
                page.close()
            browser.close()
    finally:
        httpd.shutdown()
    print(f"{found} layout problems")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
