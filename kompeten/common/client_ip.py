"""The client's IP address, for the login lock-out and any rate limit.

Behind a load balancer every connection comes from the balancer, so REMOTE_ADDR alone would
make all users one client (one user's failures would lock everyone out). The address in
X-Forwarded-For is believed only when the connection itself comes from a proxy listed in
settings.TRUSTED_PROXIES (addresses or networks): a client can write that header too.
The header is read from the right: each trusted proxy appends the address it saw, so the
first address that is not a trusted proxy is the client's.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def _parse(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def is_trusted_proxy(address: str, proxies: list[str] | tuple[str, ...] | None = None) -> bool:
    parsed = _parse(address or "")
    if parsed is None:
        return False
    networks = _networks(tuple(settings.TRUSTED_PROXIES if proxies is None else proxies))
    return any(parsed in network for network in networks)


def client_ip(request: HttpRequest) -> str:
    remote = request.META.get("REMOTE_ADDR", "") or ""
    if not settings.TRUSTED_PROXIES or not is_trusted_proxy(remote):
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for hop in reversed([hop for hop in hops if hop]):
        if _parse(hop) is None:
            break  # a malformed entry: trust nothing further left
        if not is_trusted_proxy(hop):
            return hop
    return remote
