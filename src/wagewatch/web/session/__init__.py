"""Sign-in, sign-out, one's own password and the `me` view."""
