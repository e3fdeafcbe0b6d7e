// Installed in every page the browser bench opens (bench/bench_browser.py), before any script of
// the page. It watches the document (and same-origin iframes) and stamps, with performance.now():
// - usefulAt: the first time the page's "first useful content" predicate holds;
// - changedAt: the first time the gesture's "changed" predicate holds (e.g. the total's text);
// - settledAt: the last time the page became settled: Streamlit's script idle
//   (data-test-script-state="notRunning"), no stale element, every visible chart, table and map
//   drawn, and (for a gesture) a run seen since the gesture started.
// A page opened in a new tab measures from navigation start (performance.now() starts there).
(() => {
  if (window.__bench || window !== window.top) return;
  const now = () => performance.now();
  const B = (window.__bench = {
    t0: 0, useful: null, changed: null, usefulAt: null, changedAt: null, settledAt: null,
    settled: false, lastChange: 0, sawRun: false, needRun: false, state: null, runs: 0,
  });

  // Drawn on the page: it has a size and is not inside a closed expander or a hidden tab.
  const visible = (el) => el.offsetWidth > 0 && el.offsetHeight > 0 && !el.closest("details:not([open])");
  const inViewport = (el) => {
    const r = el.getBoundingClientRect();
    return r.bottom > 0 && r.top < innerHeight && r.width > 0 && r.height > 0;
  };

  function frameDrawn(f) {
    let doc;
    try { doc = f.contentDocument; } catch (e) { return true; }  // cross-origin: cannot tell
    if (!doc || doc.readyState !== "complete" || !doc.body || !doc.body.childElementCount) return false;
    const folium = (f.title || "").includes("st_folium") || (f.src || "").includes("streamlit_folium");
    if (folium) return !!doc.querySelector(".leaflet-overlay-pane path.leaflet-interactive, .leaflet-overlay-pane canvas");
    return true;
  }

  B.drawn = function () {
    const app = document.querySelector('[data-testid="stApp"]');
    if (!app || app.getAttribute("data-test-script-state") !== "notRunning") return false;
    if (document.querySelector('[data-stale="true"]')) return false;
    for (const c of document.querySelectorAll('[data-testid="stVegaLiteChart"]'))
      if (visible(c) && !c.querySelector("canvas, svg")) return false;
    for (const d of document.querySelectorAll('[data-testid="stDataFrame"]'))
      if (visible(d) && !d.querySelector("canvas")) return false;
    for (const f of document.querySelectorAll("iframe"))
      if (visible(f) && !frameDrawn(f)) return false;
    return true;
  };

  // Predicates handed over by the bench as source text: (B) => boolean
  B.mapDrawn = function () {
    for (const f of document.querySelectorAll("iframe"))
      if (visible(f) && (f.title || "").includes("st_folium")) return frameDrawn(f);
    const m = document.querySelector('.st-key-carte_map [data-testid="stVegaLiteChart"]');
    return !!(m && m.querySelector("canvas, svg"));
  };
  B.inViewport = inViewport;

  function check() {
    const app = document.querySelector('[data-testid="stApp"]');
    const state = app ? app.getAttribute("data-test-script-state") : null;
    const t = now();
    if (state !== B.state) {
      B.state = state;
      B.lastChange = t;
      if (state === "running") { B.sawRun = true; B.runs += 1; }
    }
    if (B.useful && B.usefulAt === null) {
      try { if (B.useful(B)) B.usefulAt = t; } catch (e) {}
    }
    if (B.changed && B.changedAt === null) {
      try { if (B.changed(B)) B.changedAt = t; } catch (e) {}
    }
    // a run so short that React never drew "running" still shows by the changed figure
    const ok = B.drawn() && (!B.needRun || B.sawRun || B.changedAt !== null) && (!B.changed || B.changedAt !== null)
      && (!B.useful || B.usefulAt !== null);
    if (ok !== B.settled) {
      B.settled = ok;
      B.lastChange = t;
      if (ok) B.settledAt = t;
    }
  }
  B.check = check;

  // A gesture: reset the stamps; times are then read relative to t0.
  B.start = function (changedSrc, needRun) {
    B.t0 = now();
    B.changed = changedSrc ? new Function("B", "return (" + changedSrc + ");") : null;
    B.useful = null;
    B.changedAt = null; B.usefulAt = null; B.settledAt = null; B.settled = false;
    B.sawRun = false; B.needRun = needRun !== false; B.runs = 0; B.lastChange = B.t0;
    return B.t0;
  };
  B.setUseful = function (src) { B.useful = new Function("B", "return (" + src + ");"); };
  // Settled, and nothing changed for `quiet` ms (a follow-up rerun would have shown by then).
  B.done = function (quiet) { check(); return B.settled && now() - B.lastChange >= quiet; };

  // The first useful content of each page, by path (set by the bench before the page opens).
  const usefulByPath = window.__benchUseful || {};
  const src = usefulByPath[location.pathname + location.search] || usefulByPath[location.pathname];
  if (src) B.setUseful(src);

  const start = () => {
    new MutationObserver((records) => {
      // a run shorter than one task may go running -> notRunning between two checks
      for (const r of records)
        if (r.attributeName === "data-test-script-state" && (r.oldValue === "running"
            || r.target.getAttribute("data-test-script-state") === "running")) {
          if (!B.sawRun) B.runs += 1;
          B.sawRun = true;
        }
      check();
    }).observe(document.documentElement, {
      subtree: true, childList: true, attributes: true, characterData: true, attributeOldValue: true,
    });
    setInterval(check, 20);  // iframes' content is not seen by the observer
    check();
  };
  if (document.documentElement) start();
  else document.addEventListener("DOMContentLoaded", start);
})();
