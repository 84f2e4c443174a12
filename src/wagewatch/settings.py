"""One settings object for the whole application (environment variables `WAGEWATCH_*`)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["Settings", "get_settings"]


class Settings(BaseSettings):
    """Deployment settings; every field can be set as `WAGEWATCH_<NAME>`."""

    model_config = SettingsConfigDict(env_prefix="WAGEWATCH_", extra="ignore")

    home: Path = Field(
        default=Path("var"),
        description="数据目录：数据库文件（SQLite 时）、信号湖（Parquet）、导入退回文件都在其中。",
    )
    database_url: str | None = Field(
        default=None,
        description="业务数据库地址（SQLAlchemy URL）；默认是数据目录下的 SQLite 文件。"
        "生产环境用 PostgreSQL，如 postgresql+psycopg://user:pw@host/wagewatch。",
    )
    rulebook: str = Field(default="baoshan", description="本辖区使用的预警规则（名称或文件路径）。")
    rulebook_path: str = Field(default="", description="部署方自有规则文件或目录，多个用冒号分隔。")
    fuzzy_threshold: float = Field(
        default=90.0, description="企业名称模糊匹配自动采纳的最低得分（0–100）。"
    )
    complaint_accept_days: int = Field(
        default=1, ge=1, le=30, description="转办投诉的接收时限（工作日）。"
    )
    complaint_respond_days: int = Field(
        default=3, ge=1, le=60, description="投诉的答复时限（工作日，自接收或登记起算）。"
    )
    complaint_close_days: int = Field(
        default=15, ge=1, le=120, description="投诉的办结时限（工作日，自接收或登记起算）。"
    )
    inspection_days: int = Field(
        default=10, ge=1, le=60, description="定向排查任务的默认反馈时限（工作日）。"
    )
    deadline_minutes: int = Field(
        default=5,
        ge=0,
        le=1440,
        description="网页服务每隔几分钟检查一次到期提醒和逾期升级（0 表示不在网页服务中检查，"
        "改由定时任务运行 wagewatch deadlines）。",
    )

    @property
    def lake_dir(self) -> Path:
        """Folder of the signal lake (one sub-folder per source kind)."""
        return self.home / "lake"

    @property
    def documents_dir(self) -> Path:
        """Folder of documents attached to cases (文书、凭证), named by their SHA-256."""
        return self.home / "documents"

    @property
    def rejected_dir(self) -> Path:
        """Folder of rejected-rows files written by imports."""
        return self.home / "rejected"

    @property
    def db_url(self) -> str:
        """The operational database URL."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.home / 'wagewatch.db').resolve()}"


@cache
def get_settings() -> Settings:
    """The process-wide settings (read once from the environment)."""
    return Settings()
