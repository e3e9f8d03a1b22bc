// Placeholder: written by the session that owns it.
