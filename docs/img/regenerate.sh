#!/usr/bin/env bash
# Regenerates the pictures of README.md and docs/pictures.md from the bundled graph.
# Run from anywhere: bash docs/img/regenerate.sh (uses the checkout's .venv, else menaka-kg on the PATH).
# The screenshot of the site needs the test extras (Playwright) and Debian's chromium.
set -euo pipefail
cd "$(dirname "$0")/../.."
menaka_kg=.venv/bin/menaka-kg
[ -x "$menaka_kg" ] || menaka_kg=menaka-kg

"$menaka_kg" timeline Andéramboukane Tamalat Talataye --from 2022-03 --to 2022-12 -o docs/img/timeline-anderamboukane-tamalat-talataye.svg --force
"$menaka_kg" timeline Andéramboukane Tamalat Talataye --from 2022-03 --to 2022-12 -o docs/img/timeline-anderamboukane-tamalat-talataye.png --force
"$menaka_kg" map --date 2022-06 -o docs/img/map-2022-06.png --force
site=$(mktemp -d)
"$menaka_kg" site -o "$site/site"
.venv/bin/python docs/img/screenshot.py "$site/site"
rm -rf "$site"
