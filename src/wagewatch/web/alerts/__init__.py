"""The warning list (预警列表): filters, sorting, paging and the Excel export, scoped per user."""
