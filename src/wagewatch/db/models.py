"""Every ORM model, imported in one place so metadata and migrations see them all."""

from wagewatch.alerts.models import Warning, WarningChange
from wagewatch.auth.models import AuditEntry, AuditHead, OrgUnit, User, UserSession
from wagewatch.cases.models import (
    Case,
    CaseEvent,
    Complaint,
    HolidayDay,
    InspectionItem,
    InspectionList,
    Remedy,
    Task,
)
from wagewatch.db.base import Base
from wagewatch.enterprises.models import Enterprise, EnterpriseAlias
from wagewatch.notify.models import Notification
from wagewatch.signals.models import ImportBatch, ReviewItem

__all__ = [
    "AuditEntry",
    "AuditHead",
    "Base",
    "Case",
    "CaseEvent",
    "Complaint",
    "Enterprise",
    "EnterpriseAlias",
    "HolidayDay",
    "ImportBatch",
    "InspectionItem",
    "InspectionList",
    "Notification",
    "OrgUnit",
    "Remedy",
    "ReviewItem",
    "Task",
    "User",
    "UserSession",
    "Warning",
    "WarningChange",
]
