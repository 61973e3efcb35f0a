"""Headless Chromium for the view tests and benchmarks: open a view file offline, read what it drew.

Debian's ``chromium`` and ``chromium-driver`` through Selenium, software drawing, networking
switched off through the DevTools protocol, and every request the page tried recorded from the
performance log. ``missing_chromium()`` says why a browser cannot be started (tests skip with it
locally and fail with it when ``CI=true``).
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["CHROMIUM", "CHROMEDRIVER", "missing_chromium", "offline_browser", "Browser"]

CHROMIUM = os.environ.get("GRIDGRAPH_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("GRIDGRAPH_CHROMEDRIVER", "/usr/bin/chromedriver")
_LOCAL_SCHEMES = ("file:", "data:", "about:", "blob:", "chrome:", "devtools:")


def missing_chromium() -> str | None:
    """Why headless Chromium cannot run here, or None when it can."""
    for path, package in ((CHROMIUM, "chromium"), (CHROMEDRIVER, "chromium-driver")):
        if not (Path(path).is_file() and os.access(path, os.X_OK)):
            return f"{path} not found: install the Debian packages chromium chromium-driver fonts-noto-cjk"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -e '.[test]')"
    return None


class Browser:
    """One Chromium page with networking disabled."""

    def __init__(self, driver):
        self.driver = driver

    def open(self, path: str | os.PathLike, *, timeout: float = 120.0) -> float:
        """Load a view file and wait for its first drawn frame; returns seconds from navigation."""
        self.driver.get_log("performance")  # drop what earlier pages logged
        started = time.perf_counter()
        self.driver.get(Path(path).resolve().as_uri())
        self.wait_for("return window.gridgraphView && window.gridgraphView.firstDrawMs !== null",
                      timeout=timeout)
        elapsed = time.perf_counter() - started
        # pyvis' stabilisation progress bar fades out after physics settles (small views only).
        self.wait_for("var bar = document.getElementById('loadingBar');"
                      " return !bar || getComputedStyle(bar).display === 'none'", timeout=timeout)
        return elapsed

    def wait_for(self, script: str, *, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while not self.driver.execute_script(script):
            if time.monotonic() > deadline:
                raise TimeoutError(f"page never satisfied: {script}")
            time.sleep(0.05)

    def run(self, script: str, *args):
        return self.driver.execute_script(script, *args)

    def first_draw_ms(self) -> float:
        """Milliseconds from navigation start to vis-network's first ``afterDrawing``."""
        return self.run("return window.gridgraphView.firstDrawMs")

    def drawn_counts(self) -> tuple[int, int]:
        """Nodes and edges vis-network holds in its drawing body (not just the DataSets)."""
        return tuple(self.run("return [Object.keys(network.body.nodes).length,"
                              " Object.keys(network.body.edges).length]"))

    def requests(self) -> list[str]:
        """URLs the page asked the network for (anything but file:, data:, about: …)."""
        urls = []
        for entry in self.driver.get_log("performance"):
            message = json.loads(entry["message"])["message"]
            if message["method"] == "Network.requestWillBeSent":
                urls.append(message["params"]["request"]["url"])
        urls += self.run("return performance.getEntriesByType('resource').map(e => e.name)")
        return sorted({url for url in urls if not url.startswith(_LOCAL_SCHEMES)})

    def zoom_frame_rate(self, seconds: float = 3.0) -> float:
        """Frames drawn per second while wheel-zooming in and out over the canvas, as a user would."""
        return self.driver.execute_async_script(_ZOOM_SCRIPT, seconds)

    def screenshot(self, path: str | os.PathLike) -> Path:
        path = Path(path)
        self.driver.save_screenshot(str(path))
        return path


_ZOOM_SCRIPT = """
    const seconds = arguments[0], done = arguments[arguments.length - 1];
    const canvas = document.querySelector('#mynetwork canvas');
    const box = canvas.getBoundingClientRect();
    const start = performance.now(), frames0 = window.gridgraphView.frames;
    let step = 0;
    function tick() {
      const elapsed = performance.now() - start;
      if (elapsed > seconds * 1000) {
        done((window.gridgraphView.frames - frames0) / (elapsed / 1000));
        return;
      }
      canvas.dispatchEvent(new WheelEvent('wheel', {deltaY: (step++ % 40 < 20) ? -60 : 60,
        clientX: box.left + box.width / 2, clientY: box.top + box.height / 2,
        bubbles: true, cancelable: true}));
      requestAnimationFrame(tick);
    }
    requestAnimationFrame(tick);
"""


@contextmanager
def offline_browser(*, width: int = 1400, height: int = 900) -> Iterator[Browser]:
    """A headless Chromium page that cannot reach the network and logs what it tried to fetch."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    reason = missing_chromium()
    if reason:
        raise RuntimeError(reason)
    profile = tempfile.mkdtemp(prefix="gridgraph-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", f"--window-size={width},{height}",
                 f"--user-data-dir={profile}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        driver.set_script_timeout(120)
        # The page itself gets width × height (a headless window loses some of it to its frame).
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
            "width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})
        driver.execute_cdp_cmd("Network.enable", {})
        driver.execute_cdp_cmd("Network.emulateNetworkConditions", {
            "offline": True, "latency": 0, "downloadThroughput": 0, "uploadThroughput": 0})
        yield Browser(driver)
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
