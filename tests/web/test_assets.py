"""Front-end assets come from node_modules into static/vendor; every icon used is bundled."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from wagewatch.web.assets import ICONS, REQUIRED, ROOT_DIR, build_assets, check_assets
from wagewatch.web.templating import NAV, TEMPLATES_DIR


def test_package_json_pins_exact_versions() -> None:
    package = json.loads((ROOT_DIR / "package.json").read_text(encoding="utf-8"))
    deps = package["dependencies"]
    assert set(deps) == {"bootstrap", "bootstrap-icons", "echarts", "htmx.org"}
    for name, version in deps.items():
        assert re.fullmatch(r"\d+\.\d+\.\d+", version), f"{name} is not pinned: {version}"
    assert deps["htmx.org"].startswith("2.") and deps["echarts"].startswith("6.")
    assert deps["bootstrap"].startswith("5.3.")
    assert (ROOT_DIR / "package-lock.json").is_file()


def test_build_copies_the_dist_files_and_the_icon_sprite(tmp_path: Path) -> None:
    if not (ROOT_DIR / "node_modules").is_dir():
        pytest.skip("node_modules is missing: run `npm ci` first")
    build_assets(vendor_dir=tmp_path)
    check_assets(tmp_path)
    sprite = (tmp_path / "icons.svg").read_text(encoding="utf-8")
    assert all(f'id="{name}"' in sprite for name in ICONS)
    assert "style=" not in sprite
    assert set(REQUIRED) <= {p.name for p in tmp_path.iterdir()}


def test_every_icon_the_templates_use_is_in_the_sprite() -> None:
    used = set()
    for template in TEMPLATES_DIR.rglob("*.html"):
        used |= set(re.findall(r'icon\("([a-z0-9-]+)"', template.read_text(encoding="utf-8")))
    used |= {item.icon for item in NAV}
    assert used <= set(ICONS), sorted(used - set(ICONS))


def test_templates_have_no_inline_script_or_style_and_no_remote_urls() -> None:
    for template in TEMPLATES_DIR.rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        assert not re.search(r"<script(?![^>]*(src=|application/json))", text), template
        assert "style=" not in text and "<style" not in text, template
        assert not re.search(r"(src|href)=\"(https?:)?//", text), template
