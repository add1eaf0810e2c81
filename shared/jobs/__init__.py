"""The job system on Celery: submission (submit), the worker side (worker_runtime), fan-outs in
chunks (fanout), live progress (events), worker presence and queue depth (presence), a job's task
in the broker (broker), and the watchdog that ends jobs of dead workers and re-sends lost tasks.
Job rows live in shared.storage; kinds and statuses in shared.schemas.jobs.
"""
