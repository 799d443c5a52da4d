"""The read side: every page visitors see, above the apps (see docs/architecture.md)."""
