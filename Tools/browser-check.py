#!/usr/bin/env python3
"""Loads every page of the rendered book in headless Chromium (`make html-check`).

A page passes when Chromium loads it without a failed request, a script error or a console
error, every image decodes, every sound's header is read (its duration known), the style
sheet applies and nothing is wider than the window. A screenshot of each page's first screen
goes into the screenshot folder. `book site-check` has already checked that every link and
anchor resolves; this checks what only a browser can: that what the links name really loads.

Chromium is driven through its DevTools protocol over a pipe (--remote-debugging-pipe: JSON
messages, each ended by a NUL byte, read on fd 3 and written on fd 4), so the check needs
neither the network nor any package beyond Python's standard library.

usage: browser-check.py SITE_FOLDER SCREENSHOT_FOLDER
"""

import base64
import json
import os
import pathlib
import subprocess
import sys
import tempfile
import time

WIDTH, HEIGHT = 1280, 1000
PAGE_TIMEOUT = 30  # seconds for a page, its images and its sounds' headers

# Runs in each page once it has loaded; resolves to what is wrong with it.
PAGE_PROBLEMS = """
(async () => {
  const problems = [];
  const settle = (element, events) => new Promise(resolve => {
    events.forEach(name => element.addEventListener(name, resolve, { once: true }));
    setTimeout(resolve, 10000);
  });
  for (const image of document.images) {
    if (!image.complete) await settle(image, ["load", "error"]);
    if (image.naturalWidth === 0) problems.push(`image ${image.getAttribute("src")} did not load`);
  }
  const sounds = [...document.querySelectorAll("audio")];
  await Promise.all(sounds.map(sound =>
    sound.readyState >= 1 || sound.error ? null : settle(sound, ["loadedmetadata", "error"])));
  for (const sound of sounds) {
    if (sound.error || !(sound.duration > 0)) {
      const code = sound.error ? ` (media error ${sound.error.code})` : "";
      problems.push(`sound ${sound.getAttribute("src")} did not load${code}`);
    }
  }
  const main = document.querySelector("main");
  if (!main || getComputedStyle(main).maxWidth === "none") problems.push("book.css did not apply");
  if (document.documentElement.scrollWidth > window.innerWidth) {
    problems.push(`the page is ${document.documentElement.scrollWidth} px wide, wider than the window`);
  }
  return JSON.stringify({ problems, images: document.images.length, sounds: sounds.length });
})()
"""


class Browser:
    """Headless Chromium and one tab, spoken to over the DevTools pipe."""

    def __init__(self, profile):
        to_browser_read, self.to_browser = os.pipe()
        self.from_browser, from_browser_write = os.pipe()

        def move_pipes_to_3_and_4():
            # Copies first: a pipe already on fd 3 or 4 would keep its close-on-exec flag.
            read, write = os.dup(to_browser_read), os.dup(from_browser_write)
            os.dup2(read, 3)
            os.dup2(write, 4)

        self.process = subprocess.Popen(
            [
                "chromium", "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                "--mute-audio", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-extensions",
                "--remote-debugging-pipe", f"--user-data-dir={profile}",
                f"--window-size={WIDTH},{HEIGHT}", "about:blank",
            ],
            # The pipes must survive as fds 3 and 4, which close_fds would shut.
            preexec_fn=move_pipes_to_3_and_4, close_fds=False,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        os.close(to_browser_read)
        os.close(from_browser_write)
        self.buffer = b""
        self.next_id = 0
        self.events = []
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.call(
            "Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ["Page", "Network", "Runtime", "Log"]:
            self.call(f"{domain}.enable", session=True)
        self.call("Emulation.setDeviceMetricsOverride", {
            "width": WIDTH, "height": HEIGHT, "deviceScaleFactor": 1, "mobile": False,
        }, session=True)

    def receive(self, deadline):
        """The next message from the browser, or None once `deadline` has passed."""
        while b"\0" not in self.buffer:
            if time.monotonic() > deadline:
                return None
            chunk = os.read(self.from_browser, 1 << 16)
            if not chunk:
                raise RuntimeError("chromium closed the DevTools pipe")
            self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(message)

    def call(self, method, params=None, session=False, timeout=PAGE_TIMEOUT):
        """Sends one command and returns its result; events that arrive meanwhile are kept."""
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = self.session
        os.write(self.to_browser, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            reply = self.receive(deadline)
            if reply is None:
                raise RuntimeError(f"{method}: no answer from chromium in {timeout} s")
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error'].get('message')}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_for(self, event, timeout=PAGE_TIMEOUT):
        """Waits for `event`, keeping every event on the way; False when it never came."""
        deadline = time.monotonic() + timeout
        while not any(e.get("method") == event for e in self.events):
            reply = self.receive(deadline)
            if reply is None:
                return False
            self.events.append(reply)
        return True

    def close(self):
        self.process.terminate()
        self.process.wait(timeout=10)


def event_problems(events):
    """What the events of one page's load say went wrong."""
    problems, urls = [], {}
    for event in events:
        method, params = event.get("method"), event.get("params", {})
        if method == "Network.requestWillBeSent":
            urls[params["requestId"]] = params["request"]["url"]
        elif method == "Network.loadingFailed" and not params.get("canceled"):
            url = urls.get(params["requestId"], "?")
            problems.append(f"{url} failed to load: {params.get('errorText')}")
        elif method == "Network.responseReceived" and params["response"].get("status", 0) >= 400:
            problems.append(f"{params['response']['url']}: HTTP {params['response']['status']}")
        elif method == "Runtime.exceptionThrown":
            problems.append(f"script error: {params['exceptionDetails'].get('text')}")
        elif method == "Runtime.consoleAPICalled" and params.get("type") == "error":
            problems.append("console error: " + " ".join(
                str(a.get("value", a.get("description", ""))) for a in params.get("args", [])))
        elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
            problems.append(f"console error: {params['entry'].get('text')}")
    return problems


def check_page(browser, page, screenshot):
    """Loads `page`, checks it, writes its screenshot; returns (problems, images, sounds)."""
    browser.events = []
    browser.call("Page.navigate", {"url": page.resolve().as_uri()}, session=True)
    if not browser.wait_for("Page.loadEventFired"):
        return [f"did not finish loading in {PAGE_TIMEOUT} s"], 0, 0
    result = browser.call("Runtime.evaluate", {
        "expression": PAGE_PROBLEMS, "awaitPromise": True, "returnByValue": True,
    }, session=True)
    if "exceptionDetails" in result:
        return [f"the check itself failed: {result['exceptionDetails'].get('text')}"], 0, 0
    found = json.loads(result["result"]["value"])
    shot = browser.call("Page.captureScreenshot", {"format": "png"}, session=True)
    screenshot.write_bytes(base64.b64decode(shot["data"]))
    return event_problems(browser.events) + found["problems"], found["images"], found["sounds"]


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__.strip().splitlines()[-1])
    site, screenshots = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    pages = sorted(site.glob("*.html"))
    if not pages:
        sys.exit(f"{site}: no pages; run `make html` first")
    screenshots.mkdir(parents=True, exist_ok=True)
    failures, images, sounds = 0, 0, 0
    with tempfile.TemporaryDirectory() as profile:
        browser = Browser(profile)
        try:
            for page in pages:
                problems, page_images, page_sounds = check_page(
                    browser, page, screenshots / (page.stem + ".png"))
                images += page_images
                sounds += page_sounds
                for problem in problems:
                    print(f"{page.name}: {problem}")
                failures += bool(problems)
        finally:
            browser.close()
    print(f"chromium: {len(pages)} pages, {images} images, {sounds} sounds checked; "
          f"{failures} pages with problems; screenshots in {screenshots}/")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
