"""Audit log (审计日志): the audit administrator's list, chain check and export."""
