"""One small router per resource: models (trainings arrive with the trainer issue)."""
