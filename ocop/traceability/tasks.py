"""Background tasks of traceability (Django's Tasks framework; `manage.py db_worker` runs
them)."""

from django.tasks import task

from . import services


@task
def generate_stamps(run_id: int) -> int:
    """Generate a stamp run's missing stamps; the number the run holds at the end. If the
    worker dies midway, the run keeps its committed chunks and the next call goes on."""
    try:
        run = services.stamp_run_generate(run_id=run_id)
    except Exception as exc:
        services.stamp_run_fail(run_id=run_id, error=repr(exc))
        raise
    return run.issued
