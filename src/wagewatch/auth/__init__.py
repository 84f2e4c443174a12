"""Users, roles, organisation units, permissions, the audit log and personal-data masking."""
