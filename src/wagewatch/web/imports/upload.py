"""Saving an uploaded file where `import_file` can read it, under its own (safe) name."""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from fastapi import UploadFile

__all__ = ["MAX_UPLOAD_BYTES", "UploadRefused", "safe_name", "saved_upload"]

MAX_UPLOAD_BYTES = 200 * 1024 * 1024
SUFFIXES = (".csv", ".txt", ".tsv", ".xlsx", ".xlsm", ".xls", ".ods")
_UNSAFE = re.compile(r"[\\/:*?\"<>|\x00-\x1f]")


class UploadRefused(ValueError):
    """An upload that cannot be imported (no file, wrong type, too large); Chinese message."""


def safe_name(name: str | None) -> str:
    """The file's own name without any folder part or characters a file system refuses."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = _UNSAFE.sub("_", base).strip(" .")
    return base[:150] or "upload.csv"


@contextmanager
def saved_upload(upload: UploadFile | None) -> Iterator[tuple[Path, str]]:
    """The upload saved to a temporary folder: (path, original name); removed afterwards."""
    if upload is None or not upload.filename:
        raise UploadRefused("请选择要导入的文件。")
    name = safe_name(upload.filename)
    if not name.lower().endswith(SUFFIXES):
        raise UploadRefused("只能导入 CSV 或 Excel 文件（.csv、.xlsx、.xls）。")
    folder = Path(tempfile.mkdtemp(prefix="wagewatch-upload-"))
    try:
        path = folder / name
        with path.open("wb") as out:
            shutil.copyfileobj(upload.file, out, 1 << 20)
        size = path.stat().st_size
        if size == 0:
            raise UploadRefused("上传的文件是空的。")
        if size > MAX_UPLOAD_BYTES:
            raise UploadRefused(f"文件超过 {MAX_UPLOAD_BYTES // (1024 * 1024)} MB，请拆分后导入。")
        yield path, name
    finally:
        shutil.rmtree(folder, ignore_errors=True)
