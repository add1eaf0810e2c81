"""The trainer service: models over HTTP, training jobs on the `training` queue."""
