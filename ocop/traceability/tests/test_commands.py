import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from ocop.traceability import services
from ocop.traceability.models import RunStatus, Stamp

IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def test_generate_a_run_in_the_foreground(member, batch, capsys):
    run = services.stamp_run_order(actor=member, batch=batch, quantity=7)
    call_command("ocop_stamps", "generate", str(run.pk), "--chunk", "3")
    out = capsys.readouterr().out
    assert "3 / 7" in out and "7 stamps" in out
    assert Stamp.objects.filter(run=run).count() == 7
    with pytest.raises(CommandError):
        call_command("ocop_stamps", "generate", "999999")


def test_resume_hands_stalled_runs_to_the_worker(member, batch, capsys):
    stalled = services.stamp_run_order(actor=member, batch=batch, quantity=4)
    services.stamp_run_fail(run_id=stalled.pk, error="killed")
    fresh = services.stamp_run_order(actor=member, batch=batch, quantity=4)
    with override_settings(TASKS=IMMEDIATE):
        call_command("ocop_stamps", "resume")
    assert "1 stalled run(s)" in capsys.readouterr().out
    stalled.refresh_from_db()
    fresh.refresh_from_db()
    assert (stalled.status, stalled.issued) == (RunStatus.DONE, 4)
    assert fresh.status == RunStatus.QUEUED  # its worker is still on it


def test_the_order_enqueues_the_task(member, batch, django_capture_on_commit_callbacks):
    with override_settings(TASKS=IMMEDIATE), django_capture_on_commit_callbacks(execute=True):
        run = services.stamp_run_order(actor=member, batch=batch, quantity=5)
    run.refresh_from_db()
    assert (run.status, run.issued) == (RunStatus.DONE, 5)
