"""The address a request comes from, behind the site's own proxies too."""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str | None:
    """The client's address. Behind proxies (PROXY_COUNT), each appends the address it was
    reached from to X-Forwarded-For: the entry that many places from the right is the one
    the first proxy saw; entries further left are the client's own say and never read."""
    proxies = settings.PROXY_COUNT
    if proxies:
        forwarded = [
            entry.strip() for entry in request.headers.get("X-Forwarded-For", "").split(",")
        ]
        if len(forwarded) >= proxies:
            try:
                return str(ipaddress.ip_address(forwarded[-proxies]))
            except ValueError:
                pass  # not what a proxy writes: the connection's address is all there is
    return request.META.get("REMOTE_ADDR")
