"""Admin logins beyond django-axes' own lock per account and address: a higher limit for
an address that fails across many accounts, and login records kept for a few weeks only.

django-axes compares every lockout parameter combination with one failure limit, so the
address-wide limit lives in the handler: an address past its own limit counts as being
at the account limit, which locks every login from it and no login from anywhere else.
"""

import datetime

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_cool_off, get_failure_limit
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone


def address_failures(request: HttpRequest) -> int:
    """Failed logins from the request's address within the lockout time, any account."""
    failures = AccessAttempt.objects.filter(
        ip_address=request.axes_ip_address,
        attempt_time__gte=get_cool_off_threshold(request),
    ).aggregate(total=Sum("failures_since_start"))["total"]
    return failures or 0


def address_locked(request: HttpRequest) -> bool:
    limit = settings.LOGIN_ADDRESS_FAILURE_LIMIT
    return bool(limit) and address_failures(request) >= limit


def login_records_prune(*, days: int) -> None:
    """Deletes what django-axes keeps of logins (address, user agent, account name) once
    it is older than `days`."""
    cutoff = timezone.now() - datetime.timedelta(days=days)
    for model in (AccessLog, AccessFailureLog, AccessAttempt):
        model.objects.filter(attempt_time__lt=cutoff).delete()


class LoginHandler(AxesDatabaseHandler):
    """django-axes' database handler with the address-wide limit and the pruning."""

    def get_failures(self, request, credentials: dict | None = None) -> int:
        account = super().get_failures(request, credentials)
        if address_locked(request):
            return max(account, get_failure_limit(request, credentials))
        return account

    # Pruned on every login attempt, since nothing here runs on a schedule. The tables hold
    # a few weeks of the editors' logins (failed attempts go after the lockout time), so
    # the scans cost little even unindexed by time.
    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        login_records_prune(days=settings.LOGIN_RECORD_DAYS)
        super().user_login_failed(sender, credentials, request, **kwargs)

    def user_logged_in(self, sender, request, user, **kwargs):
        login_records_prune(days=settings.LOGIN_RECORD_DAYS)
        super().user_logged_in(sender, request, user, **kwargs)


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict | None
) -> HttpResponse:
    """The German lock page, telling an address's lock from an account's."""
    context = {
        "failure_limit": get_failure_limit(request, credentials),
        "address_locked": address_locked(request),
        "address_failure_limit": settings.LOGIN_ADDRESS_FAILURE_LIMIT,
        "cooloff_timedelta": get_cool_off(request),
    }
    return render(
        request, "admin/locked_out.html", context, status=settings.AXES_HTTP_RESPONSE_CODE
    )
