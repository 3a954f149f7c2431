"""After every other check: no request left loopback, and no page had a script error or broke
its Content-Security-Policy."""

import urllib.parse
from collections import Counter

from console_checks import check

LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}
# URLs that are not requests to a host: inline data, the page's own blobs, blank frames, and
# the browser's own built-in pages (its first tab, before the tests navigate).
HOSTLESS_SCHEMES = {"data", "blob", "about", "chrome"}


@check
def no_request_leaves_loopback(context):
    browser = context.browser
    browser.collect_logs()
    to_hosts = [(url, page) for url, page in browser.requests if urllib.parse.urlsplit(url).scheme not in HOSTLESS_SCHEMES]
    assert len(to_hosts) >= 10, f"only {len(to_hosts)} requests recorded: is the performance log on?"
    outside = sorted({url for url, _ in to_hosts if urllib.parse.urlsplit(url).hostname not in LOOPBACK_HOSTS})
    assert not outside, f"requests left loopback: {outside}"
    paths = Counter(urllib.parse.urlsplit(url).path for url, _ in to_hosts)
    context.measure("requests checked", len(to_hosts))
    return f"{len(to_hosts)} requests for {len(paths)} paths, all to loopback"


@check
def no_script_errors_or_policy_violations(context):
    """Console errors that are a page's fault fail; others (a missing file) are listed, but for
    the requests the tests made knowing they may fail (a page not built yet, a refusal)."""
    browser = context.browser
    browser.collect_logs()
    errors = [(message, page) for level, message, page in browser.console
              if level == "SEVERE" and message.split(" ", 1)[0] not in browser.deliberate]
    broken = [f"{page}: {message}" for message, page in errors
              if "Content Security Policy" in message or "Uncaught" in message or "Refused to" in message]
    assert not broken, "\n  ".join(["pages broke:"] + broken)
    others = sorted({message for message, _ in errors})
    return "; ".join(f"console error (not failing): {message}" for message in others) or None
