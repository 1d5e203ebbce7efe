"""Screenshots of the site for README.md (run by docs/img/regenerate.sh): headless Debian Chromium through
Playwright (the test extras), offline.

    python docs/img/screenshot.py SITE_FOLDER
"""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
IMAGES = Path(__file__).resolve().parent


def main(site: Path) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1200, "height": 820})
        page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort())
        page.goto((site / "place" / "labbezanga.html").as_uri())
        page.fill("#search", "labbezenga")
        page.locator("#search-results a").first.wait_for()
        page.screenshot(path=str(IMAGES / "site-labbezanga.png"))
        browser.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]).resolve())
