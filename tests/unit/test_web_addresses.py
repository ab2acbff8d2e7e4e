"""The web connector's address check at its edges: https as well as http, each refusal's exact
message, the default port an allowed host:port is matched with. Offline: IP literals and a
.invalid name resolve (or fail) without a network."""

import pytest

from rag.connectors.web import URLRefusedError, WebLimits, check_url


@pytest.mark.parametrize("url", ["http://93.184.216.34/", "https://93.184.216.34/x?y=1"])
def test_a_public_address_is_fetched_over_http_or_https(url: str) -> None:
    check_url(url, WebLimits())


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://example.com/x", "scheme 'ftp' is not http or https"),
        ("//example.com/x", "scheme 'none' is not http or https"),
        ("http:///x", "URL has no host"),
        ("http://10.1.2.3/", "10.1.2.3 resolves to non-public address 10.1.2.3"),
        # a zone index is not part of the address checked
        ("http://[fe80::1%lo]/", "fe80::1%lo resolves to non-public address fe80::1"),
    ],
)
def test_each_refusal_says_why(url: str, message: str) -> None:
    with pytest.raises(URLRefusedError) as refused:
        check_url(url, WebLimits())
    assert str(refused.value) == message


def test_a_host_that_does_not_resolve_is_named() -> None:
    with pytest.raises(URLRefusedError) as refused:
        check_url("http://nothing-here.invalid/", WebLimits())
    assert str(refused.value).startswith("host nothing-here.invalid does not resolve (")


@pytest.mark.parametrize(
    ("url", "allowed", "passes"),
    [
        ("https://127.0.0.1/", "127.0.0.1:443", True),  # https without a port is 443
        ("http://127.0.0.1/", "127.0.0.1:80", True),  # http without a port is 80
        ("https://127.0.0.1/", "127.0.0.1:80", False),
        ("http://127.0.0.1/", "127.0.0.1:443", False),
        ("http://127.0.0.1/", "127.0.0.1:81", False),
    ],
)
def test_an_allowed_host_port_is_matched_with_the_schemes_default_port(
    url: str, allowed: str, passes: bool
) -> None:
    limits = WebLimits(allowed_hosts=frozenset({allowed}))
    if passes:
        check_url(url, limits)
    else:
        with pytest.raises(URLRefusedError, match="non-public address 127.0.0.1"):
            check_url(url, limits)
