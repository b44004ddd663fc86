#!/usr/bin/env python3
"""browser_check.py — the search page in a real browser.

    browser_check.py CHROMIUM BASE_URL SCREENSHOT_DIR WORK_DIR CORPUS

Starts headless Chromium (Debian's chromium) and drives it over the
DevTools protocol on a pipe (--remote-debugging-pipe: JSON messages ending
in a NUL byte on file descriptors 3 and 4), so it needs nothing beyond
python3's standard library: no npm, no WebSocket, no port.  With page
JavaScript switched off it opens BASE_URL/, types a query into the search
box and presses Enter, checks the results in the DOM, clicks a country
facet (or another filter link) with the mouse, checks the active-filter
chip, loads the results at a 390-pixel-wide viewport, loads pages with a
64-hex hash in the query, a snippet, a chip and an error message at 412
pixels (none may scroll sideways), and then, with
JavaScript on, checks that the Content-Security-Policy refuses injected
inline script and style.  All along it records console errors and every
request the page makes (only 127.0.0.1 is allowed).  Screenshots go to
SCREENSHOT_DIR.  CORPUS is the JSON Lines file the index holds (for the
articles that have no web URL, whose titles are not links).

Prints one line per check, as tests/browser/test_browser.sh reads them:
"PASS what", "FAIL what" (details indented below), "SKIP what", "SHOT
path"; anything else is information.  Exits 0 when it ran to the end
(whatever the checks said), 1 when it could not.  Chromium runs in its own
process group, written to WORK_DIR/chromium.pgid so that the shell script
can kill it even if this script dies; on SIGTERM or SIGINT this script
stops it itself.
"""
import base64
import fcntl
import json
import os
import re
import select
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request

QUERY = "china espionage"
DESKTOP = (1280, 900)
PHONE = (390, 844)
# A 64-hex SHA-256 value that corpus/sample.jsonl holds (sample-009), and
# the phone width at which long values once made the page scroll sideways.
HASH = "9c4e2a7f15b83d60e2f19a4c7b05d8e3a61f2c9b47e0d358a1c6f92be7043d5a"
NARROW = (412, 915)
# The whole run, Chromium's start included; test_browser.sh allows more.
BUDGET = float(os.environ.get("CYSEARCH_BROWSER_BUDGET", "40"))

FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
    "--no-first-run", "--no-default-browser-check",
    "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--disable-extensions", "--disable-default-apps",
    "--disable-dev-shm-usage", "--mute-audio", "--password-store=basic",
    "--no-proxy-server", "--lang=en-US", "--hide-scrollbars",
    # Nothing but the test server can be reached, whatever the page asks
    # for; the requests are still seen (and counted) below.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
    "--remote-debugging-pipe",
]


class Failure(Exception):
    """The run cannot go on (Chromium died, a step timed out)."""


class Stop(Exception):
    """SIGTERM or SIGINT."""


def out(line):
    print(line, flush=True)


def check(cond, desc, detail=""):
    out(("PASS " if cond else "FAIL ") + desc)
    if not cond and detail:
        for line in str(detail).splitlines()[:40]:
            out("       " + line)
    return bool(cond)


class Browser:
    def __init__(self, chromium, work):
        self.deadline = time.monotonic() + BUDGET
        self.work = work
        self.proc = None
        self.wfd = self.rfd = -1
        self.buf = b""
        self.next_id = 0
        self.session = None
        self.loads = 0
        self.console = []        # (kind, text)
        self.requests = []       # (url, resource type)
        self.documents = []      # {url, status, headers} of page loads
        self.chromium = chromium

    # ---- process ------------------------------------------------------------
    def start(self):
        def high(fd):  # out of the way of 3 and 4
            new = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10)
            os.close(fd)
            return new
        to_r, to_w = os.pipe()
        from_r, from_w = os.pipe()
        to_r, to_w, from_r, from_w = map(high, (to_r, to_w, from_r, from_w))

        def child_fds():
            os.dup2(to_r, 3)    # Chromium reads commands from 3
            os.dup2(from_w, 4)  # and writes answers and events to 4
        profile = os.path.join(self.work, "chromium-profile")
        os.makedirs(profile, exist_ok=True)
        log = open(os.path.join(self.work, "chromium.log"), "wb")
        self.proc = subprocess.Popen(
            [self.chromium] + FLAGS + ["--user-data-dir=" + profile,
                                       "about:blank"],
            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
            pass_fds=(3, 4), preexec_fn=child_fds, start_new_session=True)
        log.close()
        with open(os.path.join(self.work, "chromium.pgid"), "w") as f:
            f.write("%d\n" % self.proc.pid)
        os.close(to_r)
        os.close(from_w)
        self.wfd, self.rfd = to_w, from_r

    def _group_gone(self, seconds):
        """Wait until no process of Chromium's group is left."""
        until = time.monotonic() + seconds
        while True:
            self.proc.poll()  # reap the browser process itself
            try:
                os.killpg(self.proc.pid, 0)
            except ProcessLookupError:
                return True
            if time.monotonic() >= until:
                return False
            time.sleep(0.05)

    def stop(self):
        if not self.proc:
            return
        try:
            if self.proc.poll() is None:
                try:
                    self._write({"id": 999999, "method": "Browser.close"})
                except OSError:
                    pass
            for sig in (signal.SIGTERM, signal.SIGKILL):
                if self._group_gone(3):
                    break
                try:
                    os.killpg(self.proc.pid, sig)
                except ProcessLookupError:
                    break
            self._group_gone(2)
        finally:
            for fd in (self.wfd, self.rfd):
                try:
                    os.close(fd)
                except OSError:
                    pass
            try:
                os.unlink(os.path.join(self.work, "chromium.pgid"))
            except OSError:
                pass
            self.proc = None

    # ---- protocol -------------------------------------------------------------
    def _write(self, msg):
        data = json.dumps(msg).encode() + b"\0"
        while data:
            n = os.write(self.wfd, data)
            data = data[n:]

    def _read(self, until):
        """One message, or None at the time `until` (monotonic)."""
        while b"\0" not in self.buf:
            left = min(until, self.deadline) - time.monotonic()
            if left <= 0:
                if time.monotonic() >= self.deadline:
                    raise Failure("the run took longer than %g s" % BUDGET)
                return None
            ready, _, _ = select.select([self.rfd], [], [], left)
            if not ready:
                continue
            data = os.read(self.rfd, 1 << 20)
            if not data:
                raise Failure("Chromium closed the DevTools pipe (it died?)")
            self.buf += data
        i = self.buf.index(b"\0")
        msg = json.loads(self.buf[:i])
        self.buf = self.buf[i + 1:]
        if "method" in msg:
            self._event(msg)
        return msg

    def send(self, method, params=None, session=True, timeout=10):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params or {}}
        if session and self.session:
            msg["sessionId"] = self.session
        try:
            self._write(msg)
        except OSError as e:
            raise Failure("cannot send %s to Chromium: %s" % (method, e))
        until = time.monotonic() + timeout
        while True:
            reply = self._read(until)
            if reply is None:
                raise Failure("no answer to %s within %g s" % (method, timeout))
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise Failure("%s: %s" % (method, reply["error"]))
                return reply.get("result", {})

    def wait(self, pred, timeout):
        """Read events until pred() holds; False after timeout seconds."""
        until = time.monotonic() + timeout
        while not pred():
            if self._read(until) is None:
                return pred()
        return True

    def _event(self, msg):
        method, p = msg["method"], msg.get("params", {})
        if msg.get("sessionId") != self.session:
            return
        if method == "Page.loadEventFired":
            self.loads += 1
        elif method == "Network.requestWillBeSent":
            self.requests.append((p["request"]["url"], p.get("type", "")))
        elif method == "Network.responseReceived" and p.get("type") == "Document":
            r = p["response"]
            self.documents.append({
                "url": r["url"], "status": r["status"],
                "headers": {k.lower(): v for k, v in r["headers"].items()}})
        elif method == "Network.loadingFailed":
            if not p.get("canceled"):
                self.console.append(("network", "%s %s" % (
                    p.get("errorText", ""), p.get("blockedReason", ""))))
        elif method == "Runtime.consoleAPICalled":
            if p.get("type") in ("error", "assert"):
                text = " ".join(str(a.get("value", a.get("description", "")))
                                for a in p.get("args", []))
                self.console.append(("console." + p["type"], text))
        elif method == "Runtime.exceptionThrown":
            d = p.get("exceptionDetails", {})
            self.console.append(("exception", d.get("text", "") + " " + str(
                d.get("exception", {}).get("description", ""))))
        elif method == "Log.entryAdded":
            e = p.get("entry", {})
            if e.get("level") == "error":
                self.console.append(("log." + e.get("source", ""),
                                     "%s (%s)" % (e.get("text", ""),
                                                  e.get("url", ""))))

    # ---- page helpers ---------------------------------------------------------
    def open_page(self):
        target = self.send("Target.createTarget", {"url": "about:blank"},
                           session=False)["targetId"]
        self.session = self.send("Target.attachToTarget",
                                 {"targetId": target, "flatten": True},
                                 session=False)["sessionId"]
        for domain in ("Page", "Runtime", "Network", "Log"):
            self.send(domain + ".enable")
        self.viewport(*DESKTOP, mobile=False)

    def viewport(self, width, height, mobile):
        self.send("Emulation.setDeviceMetricsOverride", {
            "width": width, "height": height, "mobile": mobile,
            "deviceScaleFactor": 2 if mobile else 1})

    def js(self, expression):
        """The value of a JavaScript expression (DevTools evaluation, which
        works with page scripts off and is not subject to the page's CSP)."""
        r = self.send("Runtime.evaluate", {"expression": expression,
                                           "returnByValue": True,
                                           "awaitPromise": True})
        if "exceptionDetails" in r:
            raise Failure("JavaScript failed: %s\n%s" % (
                r["exceptionDetails"].get("exception", {}).get("description"),
                expression))
        return r["result"].get("value")

    def navigated(self, action, timeout=10):
        """Run action() and wait for the next page load; True if it came."""
        before = self.loads
        action()
        return self.wait(lambda: self.loads > before, timeout)

    def goto(self, url):
        return self.navigated(lambda: self.send("Page.navigate", {"url": url}))

    def click(self, element_js):
        """A real mouse click in the middle of the element element_js (an
        expression), after scrolling it into view.  Returns an error text
        or None."""
        box = self.js("""(() => {
          const e = %s;
          if (!e) return {error: 'no such element'};
          e.scrollIntoView({block: 'center', inline: 'nearest'});
          const r = e.getBoundingClientRect();
          const x = r.left + r.width / 2, y = r.top + r.height / 2;
          const hit = document.elementFromPoint(x, y);
          if (!r.width || !r.height) return {error: 'not visible'};
          if (!hit || !(hit === e || e.contains(hit) || hit.contains(e)))
            return {error: 'covered by ' + (hit ? hit.outerHTML.slice(0, 120) : 'nothing')};
          return {x, y};
        })()""" % element_js)
        if "error" in box:
            return box["error"]
        for kind, buttons in (("mouseMoved", 0), ("mousePressed", 1),
                              ("mouseReleased", 0)):
            self.send("Input.dispatchMouseEvent", {
                "type": kind, "x": box["x"], "y": box["y"], "button": "left",
                "buttons": buttons, "clickCount": 1})
        return None

    def press_enter(self):
        for kind in ("keyDown", "keyUp"):
            params = {"type": kind, "key": "Enter", "code": "Enter",
                      "windowsVirtualKeyCode": 13, "nativeVirtualKeyCode": 13}
            if kind == "keyDown":
                params["text"] = "\r"
            self.send("Input.dispatchKeyEvent", params)

    def screenshot(self, path, full=True):
        """A PNG of the whole page, or of the first screen (full=False)."""
        if not full:
            self.js("window.scrollTo(0, 0)")
            shot = self.send("Page.captureScreenshot", {"format": "png"},
                             timeout=20)
            with open(path, "wb") as f:
                f.write(base64.b64decode(shot["data"]))
            out("SHOT " + path)
            return
        m = self.send("Page.getLayoutMetrics")
        size = m.get("cssContentSize") or m["contentSize"]
        width = max(1, int(size["width"]))
        height = max(1, min(int(size["height"]), 8000))
        shot = self.send("Page.captureScreenshot", {
            "format": "png", "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": width, "height": height,
                     "scale": 1}}, timeout=20)
        with open(path, "wb") as f:
            f.write(base64.b64decode(shot["data"]))
        out("SHOT " + path)


    def element_screenshot(self, path, selector):
        """A PNG of the element selector (in CSS pixels, scrolled to it)."""
        r = self.js("""(() => {
          const e = document.querySelector(%s);
          if (!e) return null;
          const r = e.getBoundingClientRect();
          return {x: r.left + scrollX, y: r.top + scrollY,
                  width: r.width, height: r.height};
        })()""" % json.dumps(selector))
        if not r or not r["width"] or not r["height"]:
            return False
        shot = self.send("Page.captureScreenshot", {
            "format": "png", "captureBeyondViewport": True,
            "clip": dict(r, scale=2)}, timeout=20)
        with open(path, "wb") as f:
            f.write(base64.b64decode(shot["data"]))
        out("SHOT " + path)
        return True


# What a page shows, from the DOM.
STATE_JS = r"""(() => {
  const text = e => e ? e.textContent.replace(/\s+/g, ' ').trim() : null;
  const heading = [...document.querySelectorAll('h2')]
    .map(text).find(t => /\bmatch(es)?\b/.test(t)) || null;
  const hits = [...document.querySelectorAll('ol.hits li.hit')].map(li => {
    const a = li.querySelector('.hit-title a');
    return {title: text(li.querySelector('.hit-title')),
            href: a ? a.href : null,
            marks: [...li.querySelectorAll('.hit-snippet mark')].map(text)};
  });
  const css = [...document.styleSheets].find(s => s.href &&
    new URL(s.href).pathname === '/cysearch.css');
  let cssRules = 0;
  try { cssRules = css ? css.cssRules.length : 0; } catch (e) {}
  return {
    url: location.href, title: document.title, heading, hits,
    chips: [...document.querySelectorAll('.chips .chip')].map(text),
    q: document.querySelector('#q') ? document.querySelector('#q').value : null,
    form: !!document.querySelector('form[role=search] input#q'),
    scripts: document.querySelectorAll('script').length,
    handlers: [...document.querySelectorAll('*')].filter(e =>
      [...e.attributes].some(a => /^on/i.test(a.name))).length,
    styleAttrs: document.querySelectorAll('[style]').length,
    cssRules,
  };
})()"""


def total_of(state):
    m = re.search(r"([\d,]+) articles? match", state.get("heading") or "")
    return int(m.group(1).replace(",", "")) if m else None


def query_param(url, name):
    return urllib.parse.parse_qs(urllib.parse.urlsplit(url).query).get(name, [])


def unlinked_titles(corpus):
    """Titles of the corpus's articles without an http(s) URL."""
    titles = set()
    with open(corpus, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                a = json.loads(line)
                if not re.match(r"(?i)https?://", a.get("url") or ""):
                    titles.add(a.get("title") or "(untitled)")
    return titles


def check_results(b, state, what):
    hits = state["hits"]
    check(len(hits) >= 3, "%s: at least 3 results in the list (%d)" % (
        what, len(hits)), json.dumps(state, indent=1)[:3000])
    linked = [h for h in hits if h["href"]]
    bad = [h for h in linked
           if urllib.parse.urlsplit(h["href"]).scheme not in ("http", "https")]
    check(len(linked) >= 3 and not bad, "%s: %d results with a title link, "
          "every one to an http(s) URL" % (what, len(linked)),
          json.dumps(bad, indent=1))
    plain = [h["title"] for h in hits if not h["href"]]
    if plain:
        out("%s: titles without a link: %s" % (what, plain))
    check(all(t in b.unlinked for t in plain), "%s: a title is plain text "
          "only when the article has no http(s) URL" % what,
          [t for t in plain if t not in b.unlinked])
    marks = [m for h in hits for m in h["marks"]]
    check(marks, "%s: <mark> highlights in the snippets (%d)" % (
        what, len(marks)))
    odd = [m for m in marks if not re.match(r"(?i)(chin|espion)", m)]
    check(not odd, "%s: the highlights are the query's words" % what, odd)
    check(total_of(state) is not None and total_of(state) >= len(hits),
          "%s: the result count: %r" % (what, state["heading"]))


def check_clean_page(state, what):
    check(state["scripts"] == 0 and state["handlers"] == 0
          and state["styleAttrs"] == 0,
          "%s: no <script>, on* handlers or style attributes" % what,
          "scripts %d, handlers %d, style attributes %d" % (
              state["scripts"], state["handlers"], state["styleAttrs"]))
    check(state["cssRules"] > 0, "%s: /cysearch.css loaded and applied" % what)


FACET_JS = r"""(() => {
  // Links whose own href sets a filter (not "#main" on a URL that has one).
  // (Bars of the timeline are SVG links, whose href is no string.)
  const usable = a => !a.closest('.chips') && !(a instanceof SVGElement) &&
    !(a.getAttribute('href') || '#').startsWith('#');
  const links = [...document.querySelectorAll('a[href]')].filter(usable);
  const param = (a, re) => [...new URL(a.href).searchParams].some(
    ([k, v]) => re.test(k) && v !== '');
  const country = links.filter(a => param(a, /^country$/));
  const other = links.filter(a =>
    param(a, /^(agency|actor|cve|malware|vendor|source|year|entity)$/));
  const pick = list => list.find(a => a.getClientRects().length) || list[0];
  const a = pick(country) || pick(other);
  if (!a) return null;
  document.querySelectorAll('[data-cys-test]').forEach(
    e => e.removeAttribute('data-cys-test'));
  a.setAttribute('data-cys-test', 'facet');
  const closed = a.closest('details:not([open])');
  if (closed) closed.querySelector('summary').setAttribute('data-cys-test', 'summary');
  const box = a.closest('aside, nav, [class*=facet], [id*=facet]');
  return {kind: country.includes(a) ? 'country' : 'other', href: a.href,
          text: a.textContent.replace(/\s+/g, ' ').trim(), closed: !!closed,
          where: box ? box.tagName.toLowerCase() + (box.className ? '.' + box.className : '') : null,
          countryLinks: country.length, otherLinks: other.length};
})()"""


def facet_step(b, before):
    """Click a country facet (or another filter link); check the chip."""
    link = b.js(FACET_JS)
    if not link:
        out("SKIP click a facet: the results page has no link with "
            "country= (or another filter) in it yet; filtering through the "
            "form's Country field instead")
        return form_filter_step(b, before)
    out("facet link: %s %r -> %s (in %s; %d country links, %d other filter "
        "links)" % (link["kind"], link["text"], link["href"], link["where"],
                    link["countryLinks"], link["otherLinks"]))
    if link["closed"]:
        err = b.click("document.querySelector('[data-cys-test=summary]')")
        if not check(err is None, "open the folded facet list", err):
            return None
    err = [None]
    loaded = b.navigated(lambda: err.__setitem__(0, b.click(
        "document.querySelector('[data-cys-test=facet]')")))
    if not check(err[0] is None and loaded,
                 "click the %s facet %r: a new page loads" % (
                     link["kind"], link["text"]), err[0] or "no page load"):
        return None
    params = urllib.parse.parse_qs(urllib.parse.urlsplit(link["href"]).query)
    name = next((k for k in ("country", "agency", "actor", "cve", "malware",
                             "vendor", "source", "year", "entity")
                 if k in params), None)
    return filtered_checks(b, before, name, params[name][-1] if name else "")


def form_filter_step(b, before):
    err = b.click("document.querySelector('details.filters > summary')")
    if not check(err is None, "form: open 'Filters and sorting'", err):
        return None
    err = b.click("document.querySelector('#f-country')")
    if not check(err is None, "form: click the Country field", err):
        return None
    b.send("Input.insertText", {"text": "China"})
    if not check(b.navigated(b.press_enter), "form: Enter in the Country "
                 "field loads a new page"):
        return None
    return filtered_checks(b, before, "country", "China")


def filtered_checks(b, before, name, value):
    state = b.js(STATE_JS)
    check(value in query_param(state["url"], name),
          "filtered: the URL has %s=%s" % (name, value), state["url"])
    check(QUERY in query_param(state["url"], "q"),
          "filtered: the URL keeps q=%s" % QUERY, state["url"])
    chip = [c for c in state["chips"] if value.lower() in c.lower()]
    check(chip, "filtered: an active-filter chip shows %r (%s)" % (
        value, "; ".join(state["chips"])), state["chips"])
    t0, t1 = total_of(before), total_of(state)
    check(t1 is not None and t0 is not None and 1 <= t1 <= t0,
          "filtered: %s results, at most the %s before" % (t1, t0),
          state["heading"])
    check(state["q"] == QUERY, "filtered: the search box still says %r"
          % QUERY, state["q"])
    return state


# The timeline chart: its bars, each a link to one period.
TIMELINE_JS = r"""(() => {
  const svg = document.querySelector('figure.timeline svg.timeline-chart');
  if (!svg) return null;
  const bars = [...svg.querySelectorAll('a')].map(a => {
    const r = a.querySelector('rect').getBoundingClientRect();
    const m = /^(.*): (\d+) stor/.exec(a.getAttribute('aria-label') || '');
    return {href: new URL(a.getAttribute('href'), location.href).href,
            period: m ? m[1] : null, count: m ? +m[2] : null,
            width: r.width, height: r.height};
  });
  const box = svg.getBoundingClientRect();
  return {bars, width: box.width, height: box.height,
          caption: document.querySelector('figure.timeline figcaption').textContent,
          fill: getComputedStyle(svg.querySelector('rect')).fill};
})()"""


def timeline_step(b, results_url, shots):
    """The chart above the hits: bars drawn, each a link narrowing the
    search to its period, whose total is the bar's count."""
    if not check(b.goto(results_url), "timeline: the results page loads"):
        return
    chart = b.js(TIMELINE_JS)
    if not check(chart and chart["bars"], "timeline: an SVG chart with bars "
                 "above the hits", chart):
        return
    out("timeline: %s; %d bars" % (chart["caption"], len(chart["bars"])))
    bars = chart["bars"]
    check(all(x["period"] and x["count"] and x["width"] > 0 and x["height"] > 0
              for x in bars), "timeline: every bar is drawn and names its "
          "period and count", bars)
    check(all(query_param(x["href"], "period") == [x["period"]] and
              query_param(x["href"], "q") == [QUERY] for x in bars),
          "timeline: every bar links to q=%s with its period" % QUERY, bars)
    check(chart["fill"] not in ("", "none", "rgb(0, 0, 0)"),
          "timeline: the bars take their colour from cysearch.css (%s)"
          % chart["fill"])
    b.element_screenshot(os.path.join(shots, "timeline-1280.png"),
                         "figure.timeline")
    top = max(bars, key=lambda x: x["count"])
    err = [None]
    loaded = b.navigated(lambda: err.__setitem__(0, b.click(
        "document.querySelector('figure.timeline a[aria-label^=\"%s:\"]')"
        % top["period"])))
    if not check(err[0] is None and loaded, "timeline: click the bar of %s: "
                 "a new page loads" % top["period"], err[0] or "no page load"):
        return
    state = b.js(STATE_JS)
    check(query_param(state["url"], "period") == [top["period"]] and
          query_param(state["url"], "q") == [QUERY],
          "timeline: the URL has period=%s and q as typed" % top["period"],
          state["url"])
    check(total_of(state) == top["count"], "timeline: the narrowed search has the bar's %d "
          "stories" % top["count"], state["heading"])
    check([c for c in state["chips"] if top["period"] in c],
          "timeline: a chip shows the period", state["chips"])
    b.screenshot(os.path.join(shots, "timeline-narrowed-1280.png"), full=False)


def run_titles(work):
    """Titles of the articles the index's second run added (test_browser.sh
    indexes the sample in two runs and writes the second's input here)."""
    path = os.path.join(work, "run2.jsonl")
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as f:
        return {json.loads(l).get("title") or "(untitled)" for l in f
                if l.strip()}


SINCE_JS = r"""(() => {
  const s = document.querySelector('select#f-since[name=since]');
  if (!s) return null;
  const label = document.querySelector('label[for=f-since]');
  const r = s.getBoundingClientRect();
  return {options: [...s.options].map(o => [o.value, o.textContent]),
          value: s.value, label: label ? label.textContent : null,
          visible: r.width > 0 && r.height > 0,
          left: r.left, right: r.right,
          vw: document.documentElement.clientWidth,
          scrollWidth: document.documentElement.scrollWidth};
})()"""


def open_filters(b):
    """Unfold 'Filters and sorting' with a click, if it is folded."""
    if b.js("!!document.querySelector('details.filters[open]')"):
        return None
    return b.click("document.querySelector('details.filters > summary')")


def since_step(b, base, shots):
    """The "new since" selector: it lists the index's runs, newest first;
    choosing the last run and pressing Apply narrows the search to what
    that run added, with a chip that removes it."""
    titles2 = run_titles(b.work)
    url = base + "/?" + urllib.parse.urlencode({"q": QUERY})
    if not check(b.goto(url), "since: the results page loads"):
        return
    before = b.js(STATE_JS)
    err = open_filters(b)
    if not check(err is None, "since: open 'Filters and sorting'", err):
        return
    sel = b.js(SINCE_JS)
    if not check(sel and sel["visible"], "since: a visible 'New since' "
                 "selector", sel):
        return
    out("since: options %s" % sel["options"])
    runs = [v for v, _ in sel["options"] if v]
    check(sel["options"][0] == ["", "any time"] and runs == ["2", "1"] and
          all(re.match(r"run \d+, \d{4}-\d\d-\d\d \d\d:\d\d UTC$", t)
              for v, t in sel["options"] if v),
          "since: 'any time', then runs 2 and 1 with their UTC start",
          sel["options"])
    b.screenshot(os.path.join(shots, "since-1280.png"), full=False)
    # Keyboard on the focused select: one step down is the newest run.
    b.js("document.querySelector('#f-since').focus()")
    for kind in ("keyDown", "keyUp"):
        b.send("Input.dispatchKeyEvent", {
            "type": kind, "key": "ArrowDown", "code": "ArrowDown",
            "windowsVirtualKeyCode": 40, "nativeVirtualKeyCode": 40})
    if b.js("document.querySelector('#f-since').value") != "2":
        out("since: ArrowDown did not change the select; setting it")
        b.js("document.querySelector('#f-since').value = '2'")
    err = [None]
    loaded = b.navigated(lambda: err.__setitem__(0, b.click(
        "document.querySelector('details.filters button[type=submit]')")))
    if not check(err[0] is None and loaded, "since: Apply loads a new page",
                 err[0] or "no page load"):
        return
    state = b.js(STATE_JS)
    check(query_param(state["url"], "since") == ["2"] and
          query_param(state["url"], "q") == [QUERY],
          "since: the URL has since=2 and the query", state["url"])
    chip = [c for c in state["chips"] if c.startswith("New since")]
    check(chip and "run 2" in chip[0], "since: a chip says 'New since: run "
          "2'", state["chips"])
    t0, t1 = total_of(before), total_of(state)
    check(t1 is not None and t0 is not None and 1 <= t1 < t0,
          "since: %s results, fewer than the %s before" % (t1, t0),
          state["heading"])
    if titles2 is not None:
        odd = [h["title"] for h in state["hits"] if h["title"] not in titles2]
        check(not odd, "since: every hit is an article of run 2", odd)
    narrowed = state["url"]
    if open_filters(b) is None:
        b.screenshot(os.path.join(shots, "since-narrowed-1280.png"),
                     full=False)
    # (Not in the browser: a JSON document has no icon link, and the
    # browser would ask for /favicon.ico.)
    with urllib.request.urlopen(narrowed + "&format=json", timeout=10) as r:
        j = json.loads(r.read())
    check(j.get("total") == t1, "since: the page's count is the JSON's "
          "(%s)" % j.get("total"))
    # The chip's x removes it: back to every run.
    err = [None]
    loaded = b.navigated(lambda: err.__setitem__(0, b.click(
        "document.querySelector('.chips .chip a.chip-remove')")))
    if check(err[0] is None and loaded, "since: the chip's remove link "
             "loads a page", err[0] or "no page load"):
        state = b.js(STATE_JS)
        check(not query_param(state["url"], "since") and
              total_of(state) == t0, "since: removed, the search is the "
              "first one again", state["url"])
    # A phone: the selector fits.
    b.viewport(*PHONE, mobile=True)
    if check(b.goto(narrowed), "since, 390 px: the page loads"):
        err = open_filters(b)
        sel = b.js(SINCE_JS)
        check(err is None and sel and sel["visible"] and sel["left"] >= 0 and
              sel["right"] <= sel["vw"] and sel["scrollWidth"] <= sel["vw"],
              "since, 390 px: the selector fits on the screen", sel or err)
        b.js("document.querySelector('#f-since').scrollIntoView({block: 'center'})")
        shot = b.send("Page.captureScreenshot", {"format": "png"}, timeout=20)
        path = os.path.join(shots, "since-390.png")
        with open(path, "wb") as f:
            f.write(base64.b64decode(shot["data"]))
        out("SHOT " + path)
    b.viewport(*DESKTOP, mobile=False)


def phone_step(b, results_url, shots):
    b.viewport(*PHONE, mobile=True)
    if not check(b.goto(results_url), "390 px: the results page loads"):
        return
    layout = b.js(r"""(() => {
      const vw = document.documentElement.clientWidth;
      const wide = [...document.querySelectorAll('body *')].filter(e => {
        const r = e.getBoundingClientRect();
        // Past the right edge, or partly past the left one (the skip link
        // waits wholly off-screen on the left until it gets the focus).
        return r.width && (r.right > vw + 1 || (r.left < -1 && r.right > 0));
      }).map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : '') +
             ' ' + Math.round(e.getBoundingClientRect().left) + '..' +
             Math.round(e.getBoundingClientRect().right));
      const q = document.querySelector('#q').getBoundingClientRect();
      return {vw, scrollWidth: document.documentElement.scrollWidth,
              wide: wide.slice(0, 15), qLeft: q.left, qRight: q.right,
              hits: document.querySelectorAll('ol.hits li.hit').length};
    })()""")
    out("390 px: layout %s" % json.dumps(layout))
    check(layout["vw"] == PHONE[0], "390 px: the viewport is %d CSS px wide"
          % layout["vw"])
    check(layout["scrollWidth"] <= layout["vw"] and not layout["wide"],
          "390 px: nothing wider than the screen (no sideways scrolling)",
          "\n".join(layout["wide"]))
    check(layout["qLeft"] >= 0 and layout["qRight"] <= layout["vw"],
          "390 px: the search box fits on the screen")
    check(layout["hits"] >= 3, "390 px: the results are there")
    b.screenshot(os.path.join(shots, "results-390.png"), full=False)
    b.element_screenshot(os.path.join(shots, "timeline-390.png"),
                         "figure.timeline")
    b.screenshot(os.path.join(shots, "results-390-full.png"))
    b.send("Emulation.setEmulatedMedia", {
        "features": [{"name": "prefers-color-scheme", "value": "dark"}]})
    b.screenshot(os.path.join(shots, "results-390-dark.png"), full=False)
    b.send("Emulation.setEmulatedMedia", {"features": []})
    b.viewport(*DESKTOP, mobile=False)


def hash_step(b, base, shots):
    """Pages with a 64-hex hash where a long unbroken value lands: the
    heading that quotes the query, a snippet, the no-match state, a filter
    chip and an error message.  None may be wider than a 412 px screen."""
    b.viewport(*NARROW, mobile=True)
    pages = [("results", "q=" + HASH),
             ("results with chips", "q=" + HASH + "&from=2020&to=2021"),
             ("no match", "q=" + HASH + "0"),
             ("error and chip", "q=" + HASH + "&source=" + HASH),
             ("unknown value", "q=x&malware=" + HASH + HASH)]
    for name, qs in pages:
        if not check(b.goto(base + "/?" + qs), "412 px, hash, %s: loads"
                     % name):
            continue
        # A mobile browser widens its layout viewport (innerWidth) to the
        # content and zooms out, so widths are measured against the screen.
        layout = b.js(r"""(() => ({
          iw: window.innerWidth,
          sw: document.documentElement.scrollWidth,
          hash: document.body.textContent.includes('%s'),
          wide: [...document.querySelectorAll('body *')].filter(e =>
            e.getBoundingClientRect().right > %d + 1)
            .map(e => e.tagName.toLowerCase() +
                 (e.className ? '.' + e.className : '')).slice(0, 10)}))()"""
                      % (HASH, NARROW[0]))
        check(layout["hash"], "412 px, hash, %s: the page shows the hash"
              % name)
        check(layout["sw"] <= NARROW[0] and layout["iw"] == NARROW[0],
              "412 px, hash, %s: no sideways scrolling (scrollWidth %d, "
              "innerWidth %d)" % (name, layout["sw"], layout["iw"]),
              "\n".join(layout["wide"]))
    b.screenshot(os.path.join(shots, "hash-412.png"), full=False)
    b.viewport(*DESKTOP, mobile=False)


def csp_step(b, url):
    doc = b.documents[-1] if b.documents else None
    csp = doc["headers"].get("content-security-policy", "") if doc else ""
    directives = {}
    for part in csp.split(";"):
        words = part.split()
        if words:
            directives.setdefault(words[0].lower(), words[1:])

    def effective(name):
        return directives.get(name, directives.get("default-src", ["*"]))
    unsafe = {"'unsafe-inline'", "'unsafe-eval'", "*", "data:", "http:",
              "https:", "blob:"}
    script, style = effective("script-src"), effective("style-src")
    check(csp and not unsafe & set(script),
          "CSP header: script sources %s allow no inline script" % script, csp)
    check(csp and not unsafe & set(style),
          "CSP header: style sources %s allow no inline style" % style, csp)

    # With page JavaScript on, an injected inline script must not run and an
    # injected <style> must not apply; the browser reports both.
    b.send("Emulation.setScriptExecutionDisabled", {"value": False})
    if not check(b.goto(url), "CSP: the page loads with JavaScript on"):
        return
    errors_before = len(b.console)
    r = b.js(r"""new Promise(done => {
      const seen = [];
      document.addEventListener('securitypolicyviolation',
        e => seen.push(e.violatedDirective));
      const s = document.createElement('script');
      s.textContent = 'document.documentElement.dataset.inlineRan = "yes"';
      document.head.appendChild(s);
      const st = document.createElement('style');
      st.textContent = 'body { outline: 7px solid rgb(1, 2, 3) }';
      document.head.appendChild(st);
      setTimeout(() => done({
        ran: document.documentElement.dataset.inlineRan || 'no',
        outline: getComputedStyle(document.body).outlineWidth,
        violations: seen}), 300);
    })""")
    check(r["ran"] == "no", "CSP: an injected inline <script> does not run")
    check(r["outline"] != "7px", "CSP: an injected inline <style> does not "
          "apply")
    check(any(v.startswith("script-src") for v in r["violations"]) and
          any(v.startswith("style-src") for v in r["violations"]),
          "CSP: the browser reports both violations (%s)" %
          ", ".join(r["violations"]), r)
    new = b.console[errors_before:]
    out("CSP: console after the injection: %s" % new)
    b.send("Emulation.setScriptExecutionDisabled", {"value": True})


def run(b, base, shots):
    b.start()
    b.open_page()
    out("browser: %s" % b.send("Browser.getVersion", session=False)["product"])
    # The page must work without JavaScript: every step up to the CSP one
    # runs with page scripts off (DevTools evaluation still works).
    b.send("Emulation.setScriptExecutionDisabled", {"value": True})

    # ---- the front page; type the query and press Enter ------------------------
    if not check(b.goto(base + "/"), "open %s/" % base):
        return
    front = b.js(STATE_JS)
    check(b.documents and b.documents[-1]["status"] == 200,
          "front page: status 200")
    check(front["form"], "front page: the search form")
    check_clean_page(front, "front page")
    err = b.click("document.querySelector('#q')")
    if not check(err is None, "click the search box", err):
        return
    b.send("Input.insertText", {"text": QUERY})
    check(b.js("document.activeElement.id + ':' + document.activeElement.value")
          == "q:" + QUERY, "the search box has the focus and says %r" % QUERY)
    if not check(b.navigated(b.press_enter),
                 "Enter in the search box loads the results page"):
        return

    # ---- the results -------------------------------------------------------------
    results = b.js(STATE_JS)
    out("results: %s; %d hits" % (results["heading"], len(results["hits"])))
    check(query_param(results["url"], "q") == [QUERY],
          "results: the URL has q=%s" % QUERY, results["url"])
    check(b.documents[-1]["status"] == 200, "results: status 200")
    check(QUERY in results["title"], "results: the page title names the "
          "query (%r)" % results["title"])
    check(results["q"] == QUERY, "results: the search box keeps the query")
    check_results(b, results, "results")
    check_clean_page(results, "results")
    b.screenshot(os.path.join(shots, "results-1280.png"))

    # ---- a facet ------------------------------------------------------------------
    filtered = facet_step(b, results)
    if filtered:
        b.screenshot(os.path.join(shots, "filtered-1280.png"))

    # ---- the timeline chart and its bars ------------------------------------------
    timeline_step(b, results["url"], shots)

    # ---- "new since": the run selector -----------------------------------------
    since_step(b, base, shots)

    # ---- console and network so far (the CSP step makes errors on purpose) -----
    # Without an icon link a browser asks for /favicon.ico, which is not
    # there (a 404 in the console); the page's own icon is inline.
    favicon = [e for e in b.console if "favicon" in e[1]]
    check(not favicon, "the browser asks for no /favicon.ico (the page's "
          "icon is inline)", "\n".join("%s: %s" % e for e in favicon))
    errors = list(b.console)
    check(not errors, "no console errors, exceptions or failed requests "
          "(%d)" % len(errors), "\n".join("%s: %s" % e for e in errors))

    # ---- a phone-sized screen ----------------------------------------------------
    phone_step(b, results["url"], shots)

    # ---- long unbroken values (hashes) on a phone ----------------------------------
    hash_step(b, base, shots)

    # ---- the Content-Security-Policy -----------------------------------------------
    csp_step(b, results["url"])

    # ---- every request the page made ------------------------------------------------
    with open(os.path.join(b.work, "requests.txt"), "w") as f:
        for url, kind in b.requests:
            f.write("%s %s\n" % (kind, url))
    hosts = {}
    for url, kind in b.requests:
        parts = urllib.parse.urlsplit(url)
        if parts.scheme in ("data", "about", "blob"):
            continue
        hosts.setdefault(parts.hostname or url, []).append(url)
    out("requests: %d, to %s" % (len(b.requests), sorted(hosts)))
    elsewhere = {h: u for h, u in hosts.items() if h != "127.0.0.1"}
    check(b.requests and not elsewhere,
          "the page requested nothing from any host but 127.0.0.1",
          json.dumps(elsewhere, indent=1))


def main():
    if len(sys.argv) != 6:
        sys.stderr.write(__doc__)
        return 2
    chromium, base, shots, work, corpus = sys.argv[1:]
    os.makedirs(shots, exist_ok=True)

    def stop(signum, frame):
        raise Stop("signal %d" % signum)
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    b = Browser(chromium, work)
    b.unlinked = unlinked_titles(corpus)
    status = 0
    try:
        run(b, base.rstrip("/"), shots)
    except (Failure, Stop) as e:
        check(False, "the browser session ran to the end", e)
        status = 1
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        b.stop()
    return status


if __name__ == "__main__":
    sys.exit(main())
