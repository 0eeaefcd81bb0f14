"""An app that declares a job kind under a name another app already uses."""
