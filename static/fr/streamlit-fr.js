/* French for Streamlit's own interface, whatever the browser's language.
 *
 * Streamlit 1.67 has no translation hook: its strings ("Upload", "No results", "Show data"...)
 * are written in its bundle, it serves <html lang="en"> (streamlit#15726) and it formats numbers
 * with navigator.languages (a slider reads "3,300" in an English browser). lib/ui/theme.py puts
 * this script at the top of the page Streamlit serves, before Streamlit's own scripts, with
 * window.__PACTE_FR__ = {messages, patterns, units} (the catalogue lives in lib/ui/theme.py):
 *  1. the document says lang="fr";
 *  2. the locale Streamlit and react-aria read is fr-FR (navigator.language(s), and react-aria's
 *     documented override), so "localized" numbers read 3 300 and dates are French;
 *  3. a MutationObserver translates Streamlit's strings (text nodes and the aria-label, title,
 *     placeholder attributes) by exact match against the catalogue, and the few messages with a
 *     number in them ("10MB per file", "260.0B") by pattern, the number rewritten in fr-FR.
 *     Only Streamlit's chrome is concerned: text in our own content is French already and is
 *     never changed (markdown, tables' cells, charts' marks are skipped).
 */
(function () {
  "use strict";
  var cfg = window.__PACTE_FR__ || { messages: {}, patterns: [], units: {} };
  var LOCALE = "fr-FR";
  document.documentElement.setAttribute("lang", "fr");

  try {
    Object.defineProperty(Navigator.prototype, "language", { configurable: true, get: function () { return LOCALE; } });
    Object.defineProperty(Navigator.prototype, "languages", { configurable: true, get: function () { return [LOCALE, "fr"]; } });
  } catch (e) { /* a browser that refuses: Streamlit then follows the browser's own locale */ }
  window[Symbol.for("react-aria.i18n.locale")] = LOCALE;

  var messages = cfg.messages;
  var patterns = (cfg.patterns || []).map(function (p) { return [new RegExp(p[0]), p[1]]; });
  var units = cfg.units || {};
  // made on first use: a renderer's first Intl formatter loads the locale's data (60 ms on this
  // machine), and most pages never show a message with a number in it
  var number = null;

  function translate(text) {
    if (!text) return null;
    var key = text.trim();
    if (!key) return null;
    if (Object.prototype.hasOwnProperty.call(messages, key)) {
      return text.replace(key, messages[key]);
    }
    // "Download as PNG: <chart title>", "Help for <label>": the known prefix only
    var colon = key.indexOf(": ");
    if (colon > 0 && Object.prototype.hasOwnProperty.call(messages, key.slice(0, colon))) {
      return text.replace(key, messages[key.slice(0, colon)] + "\u00a0: " + key.slice(colon + 2));
    }
    var help = key.match(/^Help for (.+)$/);
    if (help) return text.replace(key, "Aide\u00a0: " + help[1]);
    for (var i = 0; i < patterns.length; i++) {
      var m = key.match(patterns[i][0]);
      if (m) {
        number = number || new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 1 });
        var out = patterns[i][1].replace(/\{n\}/g, function () { return number.format(parseFloat(m[1])); })
          .replace(/\{unit\}/g, function () { return units[m[2]] || m[2]; });
        return text.replace(key, out);
      }
    }
    return null;
  }

  // Our own content: never rewritten (a region or a file could be named "None" or "Upload").
  var SKIP = '[data-testid="stMarkdown"], [data-testid="stCaptionContainer"], [data-testid="stWidgetLabel"],' +
    ' [data-testid="stHtml"], [data-testid="stAlertContainer"], [data-testid="stDataFrame"] table,' +
    ' pre, code, svg, canvas, iframe'; // a code block's text is ours, its copy button Streamlit's

  function skipped(el) {
    return !el || (el.closest && el.closest(SKIP));
  }

  var ATTRS = ["aria-label", "title", "placeholder", "aria-placeholder", "aria-roledescription", "aria-valuetext"];

  function fixText(node) {
    var parent = node.parentElement;
    if (!parent || skipped(parent) || parent.tagName === "SCRIPT" || parent.tagName === "STYLE") return;
    var t = translate(node.nodeValue);
    if (t !== null && t !== node.nodeValue) node.nodeValue = t; // in place: React keeps its node
  }

  function fixAttributes(el) {
    for (var i = 0; i < ATTRS.length; i++) {
      var v = el.getAttribute(ATTRS[i]);
      if (v) {
        var t = translate(v);
        if (t !== null && t !== v) el.setAttribute(ATTRS[i], t);
      }
    }
  }

  function fixElement(el) {
    if (el.nodeType === 1 && !skipped(el)) fixAttributes(el);
  }

  // Our content's subtrees (a chart's hundreds of SVG nodes, a table, a text) are not entered at
  // all: checking each of their nodes against SKIP cost 50 to 80 ms of a chart page's opening.
  function accept(n) {
    if (n.nodeType !== 1) return NodeFilter.FILTER_ACCEPT;
    return n.tagName === "SCRIPT" || n.tagName === "STYLE" || n.matches(SKIP)
      ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT;
  }

  function walk(root) {
    if (root.nodeType === 3) { fixText(root); return; }
    if (root.nodeType !== 1 || accept(root) === NodeFilter.FILTER_REJECT || skipped(root)) return;
    fixAttributes(root);
    var it = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT, { acceptNode: accept });
    var n;
    while ((n = it.nextNode())) {
      if (n.nodeType === 1) { fixAttributes(n); continue; }
      var t = translate(n.nodeValue); // its parent was accepted: neither our content nor a script
      if (t !== null && t !== n.nodeValue) n.nodeValue = t;
    }
  }

  var observer = new MutationObserver(function (records) {
    for (var i = 0; i < records.length; i++) {
      var r = records[i];
      if (r.type === "characterData") fixText(r.target);
      else if (r.type === "attributes") fixElement(r.target);
      else for (var j = 0; j < r.addedNodes.length; j++) walk(r.addedNodes[j]);
    }
  });

  function start() {
    document.documentElement.setAttribute("lang", "fr");
    walk(document.body);
    observer.observe(document.documentElement, {
      subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ATTRS.concat(["lang"])
    });
  }
  // React may reset lang when it mounts: set it back.
  new MutationObserver(function () {
    if (document.documentElement.getAttribute("lang") !== "fr") document.documentElement.setAttribute("lang", "fr");
  }).observe(document.documentElement, { attributes: true, attributeFilter: ["lang"] });

  if (document.body) start(); else document.addEventListener("DOMContentLoaded", start);
})();
