"""The web connector's address check against IPv4 addresses hidden inside IPv6 ones: NAT64,
6to4, Teredo, IPv4-mapped and IPv4-compatible forms of a loopback or private address are refused
like the IPv4 address itself; NAT64 and 6to4 forms of a public address still pass (Teredo is
refused outright: 2001::/32 is not a global range)."""

import pytest

from rag.connectors.web import URLRefusedError, WebLimits, check_url
from tests.conftest import ReliabilityLog

HIDDEN_PRIVATE = [
    "http://[64:ff9b::127.0.0.1]/",  # NAT64 well-known prefix
    "http://[64:ff9b::a9fe:a9fe]/",  # NAT64 of 169.254.169.254 (cloud metadata)
    "http://[64:ff9b:1::a00:1]/",  # NAT64 local-use prefix (RFC 8215) of 10.0.0.1
    "http://[2002:7f00:1::]/",  # 6to4 of 127.0.0.1
    "http://[2002:c0a8:101::1]/",  # 6to4 of 192.168.1.1
    "http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/",  # Teredo, client 127.0.0.1
    "http://[2001:0:7f00:1:8000:63bf:3fff:fdd2]/",  # Teredo, server 127.0.0.1
    "http://[::ffff:127.0.0.1]/",  # IPv4-mapped
    "http://[::ffff:7f00:1]/",  # IPv4-mapped, hex
    "http://[::127.0.0.1]/",  # IPv4-compatible (deprecated)
    "http://[::a00:1]/",  # IPv4-compatible of 10.0.0.1
    "http://[64:ff9b::e000:1]/",  # NAT64 of multicast 224.0.0.1
]
HIDDEN_PUBLIC = [
    "http://[64:ff9b::8.8.8.8]/",
    "http://[2002:808:808::]/",
]


@pytest.mark.parametrize("url", HIDDEN_PRIVATE)
def test_ipv4_hidden_in_ipv6_is_checked_like_ipv4(url: str, reliability: ReliabilityLog) -> None:
    with pytest.raises(URLRefusedError, match="non-public"):
        check_url(url, WebLimits())
    reliability.add(
        "address encodings (IPv4 inside IPv6)",
        inputs=1,
        crashes=0,
        escapes=0,
        notes="NAT64 (64:ff9b::/96, 64:ff9b:1::/48), 6to4, Teredo server and client, "
        "IPv4-mapped and -compatible forms of loopback, private, link-local and multicast "
        "refused; the same forms of a public address pass",
    )


@pytest.mark.parametrize("url", HIDDEN_PUBLIC)
def test_public_ipv4_hidden_in_ipv6_still_passes(url: str, reliability: ReliabilityLog) -> None:
    check_url(url, WebLimits())
    reliability.add("address encodings (IPv4 inside IPv6)", inputs=1)


@pytest.mark.parametrize(
    "url",
    ["http://[::1:7f00:1]/", "http://[::2:a00:1]/", "http://[::1:808:808]/", "http://[100::1]/"],
)
def test_a_reserved_ipv6_address_carrying_no_ipv4_is_refused(url: str) -> None:
    # Python 3.11 counts much of ::/8 as global; only its IPv4-carrying forms are checked above.
    with pytest.raises(URLRefusedError, match="non-public"):
        check_url(url, WebLimits())
