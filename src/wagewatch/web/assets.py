"""Front-end assets: copy the npm packages' dist files into `static/vendor/` (no CDN, ever).

Run `npm ci` in the repository root, then `python -m wagewatch.web.assets`. The vendor folder
is generated and git-ignored; the app refuses to start without it (`check_assets`).
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
from pathlib import Path

__all__ = [
    "ICONS",
    "REQUIRED",
    "VENDOR_DIR",
    "AssetsMissing",
    "build_assets",
    "check_assets",
    "main",
]

WEB_DIR = Path(__file__).parent
VENDOR_DIR = WEB_DIR / "static" / "vendor"
# src/wagewatch/web → repository root (where package.json and node_modules are).
ROOT_DIR = WEB_DIR.parents[2]

# vendor file name → path inside node_modules.
FILES: dict[str, str] = {
    "bootstrap.min.css": "bootstrap/dist/css/bootstrap.min.css",
    "htmx.min.js": "htmx.org/dist/htmx.min.js",
    "echarts.min.js": "echarts/dist/echarts.min.js",
    "LICENSE-bootstrap.txt": "bootstrap/LICENSE",
    "LICENSE-bootstrap-icons.txt": "bootstrap-icons/LICENSE",
    "LICENSE-echarts.txt": "echarts/LICENSE",
    "LICENSE-htmx.txt": "htmx.org/LICENSE",
}
SPRITE = "icons.svg"
REQUIRED: tuple[str, ...] = ("bootstrap.min.css", "htmx.min.js", "echarts.min.js", SPRITE)

# The Bootstrap Icons the templates use, bundled into one small SVG sprite (no icon font).
ICONS: tuple[str, ...] = (
    "speedometer2",
    "exclamation-triangle",
    "building",
    "cloud-upload",
    "journal-text",
    "gear",
    "box-arrow-right",
    "person-circle",
    "search",
    "download",
    "funnel",
    "arrow-up-right",
    "clock-history",
    "file-earmark-spreadsheet",
    "shield-lock",
    "people",
    "diagram-3",
    "check-circle",
    "x-circle",
    "info-circle",
    "eye",
    "list-check",
    "arrow-left",
    "house",
    "bar-chart",
    "graph-up",
    "list-task",
    "telephone-inbound",
    "bell",
    "book",
    "clipboard-check",
    "life-preserver",
    "pencil-square",
    "file-earmark-text",
    "inbox",
    "send",
    "collection",
    "chat-left-text",
    "calendar3",
    "exclamation-circle",
)


class AssetsMissing(RuntimeError):
    """The generated vendor folder is missing or incomplete (message in Chinese)."""


def _symbol(name: str, svg: str) -> str:
    view_box = re.search(r'viewBox="([^"]+)"', svg)
    inner = re.search(r"<svg[^>]*>(.*)</svg>", svg, re.S)
    if view_box is None or inner is None:
        raise ValueError(f"unexpected SVG for icon {name}")
    return f'<symbol id="{name}" viewBox="{view_box.group(1)}">{inner.group(1).strip()}</symbol>'


def build_assets(node_modules: Path | None = None, vendor_dir: Path = VENDOR_DIR) -> list[Path]:
    """Copy the needed dist files from `node_modules` into `vendor_dir`; the files written."""
    modules = node_modules or ROOT_DIR / "node_modules"
    if not modules.is_dir():
        raise AssetsMissing(f"找不到 {modules}：请先在仓库根目录运行 `npm ci` 安装前端依赖。")
    vendor_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for target, source in FILES.items():
        src = modules / source
        if not src.is_file():
            raise AssetsMissing(f"npm 包中缺少 {source}：请运行 `npm ci` 重新安装前端依赖。")
        dest = vendor_dir / target
        shutil.copyfile(src, dest)
        written.append(dest)
    symbols = []
    for name in ICONS:
        icon = modules / "bootstrap-icons" / "icons" / f"{name}.svg"
        if not icon.is_file():
            raise AssetsMissing(f"bootstrap-icons 中没有图标 {name}")
        symbols.append(_symbol(name, icon.read_text(encoding="utf-8")))
    sprite = vendor_dir / SPRITE
    sprite.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg">' + "".join(symbols) + "</svg>\n",
        encoding="utf-8",
    )
    written.append(sprite)
    return written


def check_assets(vendor_dir: Path = VENDOR_DIR) -> None:
    """Raise AssetsMissing (in Chinese, with the fix) unless every vendor file is present."""
    missing = [name for name in REQUIRED if not (vendor_dir / name).is_file()]
    if missing:
        raise AssetsMissing(
            "前端静态资源缺失（"
            + "、".join(missing)
            + f"，应在 {vendor_dir}）。请在仓库根目录依次运行 `npm ci` 和 "
            "`python -m wagewatch.web.assets` 生成后再启动。"
        )


def main(argv: list[str] | None = None) -> int:
    """Command line: build the vendor folder from node_modules."""
    parser = argparse.ArgumentParser(description="从 node_modules 复制前端静态资源到 static/vendor")
    parser.add_argument("--node-modules", type=Path, default=None, help="node_modules 目录")
    parser.add_argument("--out", type=Path, default=VENDOR_DIR, help="输出目录")
    args = parser.parse_args(argv)
    try:
        files = build_assets(args.node_modules, args.out)
    except AssetsMissing as exc:
        print(exc, file=sys.stderr)
        return 1
    print(f"已生成 {len(files)} 个前端静态资源文件：{args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
