"""The client's address behind a reverse proxy, trusted only from the proxies configured.

Everything that keys on an address (sign-in lockout, the public forms' hourly limits, the
audit log) reads REMOTE_ADDR. Behind nginx that is nginx's own address, so this middleware,
first in the chain, puts the client's address there: the right-most address of
X-Forwarded-For that is not one of SASAEAI_TRUSTED_PROXIES, walking back from the proxy that
connected. A client can write anything at the left of that header; only what our own proxies
appended is believed, and only when the connection came from one of them.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from functools import cache

from django.conf import settings
from django.http import HttpRequest, HttpResponse

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@cache
def _networks(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(p, strict=False) for p in proxies)


def _trusted(address: str, networks: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_address(remote_addr: str, forwarded_for: str, proxies: tuple[str, ...]) -> str:
    """The address of the client, given the connection's and the X-Forwarded-For header."""
    networks = _networks(proxies)
    if not forwarded_for or not _trusted(remote_addr, networks):
        return remote_addr
    address = remote_addr
    for hop in reversed([h.strip() for h in forwarded_for.split(",")]):
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            break  # garbage written by the client: what came before it is not believed
        address = hop
        if not _trusted(hop, networks):
            break
    return address


class ClientAddressMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded and settings.SASAEAI_TRUSTED_PROXIES:
            proxies = tuple(settings.SASAEAI_TRUSTED_PROXIES)
            request.META["REMOTE_ADDR"] = client_address(
                request.META.get("REMOTE_ADDR", ""), forwarded, proxies
            )
        return self.get_response(request)
