"""The ledger in the web application: cases, tasks, complaints, inspections, inbox, campaign."""
