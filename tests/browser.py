"""Open a local HTML file in headless Chromium (Debian's /usr/bin/chromium, driven by Playwright) offline,
and report the JavaScript errors and what was rendered.

Every request that is not for a file: URL is aborted, so a page is checked as it shows with no internet
(failed tile downloads are network errors, not JavaScript errors, and are not reported).
"""

import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


@dataclass
class Page:
    """What a page showed: its JavaScript errors, the number of elements matching each selector asked
    about, the text of those elements, and requests that were blocked."""

    errors: list[str]
    counts: dict[str, int]
    texts: dict[str, list[str]]
    blocked: list[str] = field(default_factory=list)


def open_page(path, selectors=(), click=None, screenshot=None, size=(1400, 900)) -> Page:
    """Load the file `path`, wait until the page is idle, count and read `selectors`; optionally click the
    first element matching `click` (its popup's count and text are reported under "CLICK popup") and save
    a screenshot."""
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        raise FileNotFoundError(f"{CHROMIUM} is missing: install Debian's chromium package (apt-get install chromium)")
    errors, blocked, console = [], [], []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_page(viewport={"width": size[0], "height": size[1]})
            page.on("console", lambda message: console.append(message) if message.type == "error" else None)
            page.on("pageerror", lambda error: errors.append(f"uncaught: {error}"))

            def offline(route):
                if route.request.url.startswith("file:"):
                    route.continue_()
                else:
                    blocked.append(route.request.url)
                    route.abort("internetdisconnected")

            page.route("**/*", offline)
            page.goto(Path(path).resolve().as_uri(), wait_until="load")
            page.wait_for_load_state("networkidle")
            counts = {selector: page.locator(selector).count() for selector in selectors}
            texts = {selector: [(text or "").strip() for text in page.locator(selector).all_inner_texts()] for selector in selectors}
            if click:
                page.locator(click).first.click()
                counts[click + " popup"] = page.locator(".leaflet-popup-content").count()
                texts[click + " popup"] = page.locator(".leaflet-popup-content").all_inner_texts()
            if screenshot:
                page.screenshot(path=str(screenshot))
        finally:
            browser.close()
    # A request aborted above shows as a console error "Failed to load resource" at its URL: a network
    # failure, not a JavaScript error.
    errors += [f"console: {message.text}" for message in console if message.location.get("url") not in blocked]
    return Page(errors, counts, texts, blocked)


@contextmanager
def session(size=(1400, 900)):
    """One offline Chromium for many pages: yields (page, errors), where errors collects the page's
    JavaScript errors and console errors (cleared by the caller between pages)."""
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        raise FileNotFoundError(f"{CHROMIUM} is missing: install Debian's chromium package (apt-get install chromium)")
    errors = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_page(viewport={"width": size[0], "height": size[1]})
            page.on("console", lambda message: errors.append(f"console: {message.text}") if message.type == "error" else None)
            page.on("pageerror", lambda error: errors.append(f"uncaught: {error}"))
            # only requests for the network pass through Python (file: ones load as they are, faster)
            page.route(re.compile(r"^(?!file:)"), lambda route: (errors.append(f"network: {route.request.url}"),
                                                                  route.abort("internetdisconnected")))
            yield page, errors
        finally:
            browser.close()
