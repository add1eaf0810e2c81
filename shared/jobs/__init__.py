"""The job system on Celery: submission (submit), the worker side (worker_runtime), fan-outs in
chunks (fanout), live progress (events), worker presence and queue depth (presence), and the
watchdog that ends jobs of dead workers. Job rows live in shared.storage; kinds and statuses in
shared.schemas.jobs.
"""
