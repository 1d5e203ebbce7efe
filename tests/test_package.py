"""The package installs from a wheel with the data files inside it, not only from a source checkout."""

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_wheel_carries_the_data_files(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                    "-w", str(tmp_path), str(ROOT)], check=True)
    wheel = next(tmp_path.glob("menaka_kg-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for folder, pattern in (("ontology", "*.ttl"), ("data/ttl", "*.ttl"), ("shapes", "*.ttl"),
                            ("queries", "*.rq"), ("queries/internal", "*.rq"), ("queries/include", "*.fragment")):
        for path in (ROOT / folder).glob(pattern):
            assert f"menaka_kg/_data/{folder}/{path.name}" in names, f"{folder}/{path.name} is not in the wheel"
    assert "menaka_kg/cli.py" in names
    for name in ("leaflet.js", "leaflet.css", "LICENSE", "README.md"):  # the map's inlined Leaflet
        assert f"menaka_kg/vendor/leaflet/{name}" in names, f"vendored Leaflet {name} is not in the wheel"
    for name in ("vendor/basemap/sahel.geojson", "vendor/basemap/README.md", "vendor/minisearch/minisearch.js",
                 "vendor/minisearch/LICENSE", "templates/site/node.html", "templates/site/site.css",
                 "templates/site/search.js"):  # the maps' basemap, the site's search and templates
        assert f"menaka_kg/{name}" in names, f"{name} is not in the wheel"
