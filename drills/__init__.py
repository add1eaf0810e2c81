"""`make chaos`: fault drills against a private copy of the platform.

Each drill starts the platform the way `make up` does (honcho, the Procfile, every process under
scripts/supervise.py) on its own ports, with a temporary VAR_DIR and its own Redis, submits a
batch of simulations, a sweep and trainings through the gateway, injects one fault mid-run, waits
(bounded) until every job is final and counts what happened. Run `python -m drills --help`.

Services never import this package; it only speaks HTTP to the platform and signals its processes.
"""
