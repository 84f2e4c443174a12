"""Notifications (通知): the in-app inbox and the outbound channels (e-mail, group robots)."""
