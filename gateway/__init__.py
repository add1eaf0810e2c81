"""The gateway: the one public API; routes JSON to the services and streams job progress."""
