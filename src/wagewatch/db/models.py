"""Every ORM model, imported in one place so metadata and migrations see them all."""

from wagewatch.alerts.models import Warning, WarningChange
from wagewatch.auth.models import AuditEntry, AuditHead, OrgUnit, User, UserSession
from wagewatch.db.base import Base
from wagewatch.enterprises.models import Enterprise, EnterpriseAlias
from wagewatch.signals.models import ImportBatch, ReviewItem

__all__ = [
    "AuditEntry",
    "AuditHead",
    "Base",
    "Enterprise",
    "EnterpriseAlias",
    "ImportBatch",
    "OrgUnit",
    "ReviewItem",
    "User",
    "UserSession",
    "Warning",
    "WarningChange",
]
