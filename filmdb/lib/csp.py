from csp.constants import HEADER
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponseBase

_site_policy: str | None = None


class SitePolicyCSPMiddleware(CSPMiddleware):
    """django-csp's middleware with the site-wide policy built once per process.

    filmdb's pages use no nonces and no per-view policies, so the header is the same on
    every page; django-csp would build it anew from the settings for every response, which
    costs about a fifth of a bare request. Anything per request or per view still takes
    django-csp's own path.
    """

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        per_view = any(
            hasattr(response, name)
            for name in ("_csp_config", "_csp_update", "_csp_replace", "_csp_exempt")
        )
        report_only = getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)
        if per_view or report_only or getattr(request, "_csp_nonce", None) is not None:
            return super().process_response(request, response)
        global _site_policy
        if _site_policy is None:
            _site_policy = build_policy()
        if HEADER not in response:
            response[HEADER] = _site_policy
        # As django-csp does: asking for a nonce now is an error, the header is written.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response


@receiver(setting_changed)
def _forget_site_policy(*, setting: str, **kwargs) -> None:
    global _site_policy
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _site_policy = None
