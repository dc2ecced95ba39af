"""What moves the figures' generation on (figures.figures_changed): a save or a delete of any
record the figures count. Bulk writes send no signal: the import calls figures_changed()
itself."""

from django.db.models.signals import post_delete, post_save


def _changed(sender, **kwargs):
    from .figures import figures_changed

    figures_changed()


def connect() -> None:
    from ocop.certificates.models import Certificate
    from ocop.dossiers.models import Dossier
    from ocop.evaluation.models import Assignment
    from ocop.ideas.models import ProductIdea
    from ocop.plans.models import BusinessPlan
    from ocop.producers.models import Producer
    from ocop.products.models import Product
    from ocop.programme.models import CourseRegistration, TrainingCourse

    counted = (
        Certificate, Dossier, Assignment, ProductIdea, BusinessPlan, Producer, Product,
        TrainingCourse, CourseRegistration,
    )  # fmt: skip
    for model in counted:
        post_save.connect(_changed, sender=model, dispatch_uid=f"figures-{model.__name__}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"figures-{model.__name__}-d")
