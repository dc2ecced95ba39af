"""Background work of imports (Django's Tasks framework; `manage.py db_worker` runs it)."""

from django.tasks import task


@task
def apply_import(job_id: int, actor_id: int) -> str:
    """Apply a large checked import; a failure leaves nothing written and the job says why."""
    from ocop.accounts.models import User

    from .services import job_apply_now

    job = job_apply_now(job_id=job_id, actor=User.objects.get(pk=actor_id))
    return job.status


@task
def refresh_listings(product_ids: list[int]) -> int:
    """The catalogue's listings of the products an import or its revert touched."""
    from .services import refresh_listings_now

    return refresh_listings_now(product_ids)
