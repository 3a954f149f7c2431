"""Browser tests of the Outpost web console, run by scripts/e2e-console.sh against the real
collector with seeded data and a probed device (see that script for what is set up).

Runs every check registered in the checks_* modules, in order, in one headless Chromium, and
ends with the line "console: N passed, N failed, N skipped"; exits 1 when a check failed. A
failed check leaves a screenshot failed-NAME.png beside the pages' screenshots.

Environment (set by scripts/e2e-console.sh):
  OUTPOST_CONSOLE_URL          the operator HTTP port, http://127.0.0.1:PORT
  OUTPOST_CONSOLE_FIXTURE      JSON: users (by role, with passwords), branches, devices, history_device
  OUTPOST_CONSOLE_SCREENSHOTS  where the screenshots go
  OUTPOST_CONSOLE_LINK         NAMESPACE:INTERFACE, the probed device's LAN link
  OUTPOST_CONSOLE_BROWSER_DIR  a directory for Chromium's profile and chromedriver's log
"""

import json
import os
import signal
import sys
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

# The checks, in the order they run (each module registers its own in order).
import checks_login  # noqa: E402,F401
import checks_live  # noqa: E402,F401
import checks_roles  # noqa: E402,F401
import checks_pages  # noqa: E402,F401
import checks_reports  # noqa: E402,F401
import checks_network  # noqa: E402,F401
from console_browser import ConsoleBrowser  # noqa: E402
from console_checks import CHECKS, Context, Skip  # noqa: E402


def main():
    # A TERM (the script's deadline) ends the run through the finally below: Chromium closed,
    # the link up again.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    environment = os.environ
    with open(environment["OUTPOST_CONSOLE_FIXTURE"]) as file:
        fixture = json.load(file)
    browser_dir = environment["OUTPOST_CONSOLE_BROWSER_DIR"]
    os.makedirs(browser_dir, exist_ok=True)
    started = time.monotonic()
    browser = ConsoleBrowser(environment["OUTPOST_CONSOLE_URL"], os.path.join(browser_dir, "profile"),
                             os.path.join(browser_dir, "chromedriver.log"))
    context = Context(browser, fixture, environment["OUTPOST_CONSOLE_SCREENSHOTS"], environment["OUTPOST_CONSOLE_LINK"])
    print(f"console: Chromium {browser.driver.capabilities.get('browserVersion')} started in "
          f"{time.monotonic() - started:.1f} s", flush=True)
    results = {"passed": 0, "failed": 0, "skipped": 0}
    try:
        print(f"console: built: {', '.join(context.discover())}", flush=True)
        for check in CHECKS:
            results[run(check, context)] += 1
    finally:
        if context.state.get("link") == "down":
            context.set_link("up")
        browser.quit()
    for name, value in context.measured.items():
        print(f"console: measured {name}: {value}")
    print(f"console: {time.monotonic() - started:.1f} s in the browser")
    print(f"console: {results['passed']} passed, {results['failed']} failed, {results['skipped']} skipped", flush=True)
    return 1 if results["failed"] else 0


def run(check, context):
    """Runs one check; prints its outcome; returns "passed", "failed" or "skipped"."""
    started = time.monotonic()
    name = check.__name__
    try:
        detail = check(context)
    except Skip as skip:
        print(f"SKIP {name}: {skip}", flush=True)
        return "skipped"
    except Exception as error:  # a check's failure must not stop the others
        seconds = time.monotonic() - started
        message = str(error) if isinstance(error, AssertionError) else traceback.format_exc()
        print(f"FAIL {name} ({seconds:.1f} s): {message}", flush=True)
        try:
            os.makedirs(context.screenshots, exist_ok=True)
            context.browser.screenshot(os.path.join(context.screenshots, f"failed-{name}.png"))
            print(f"     at {context.browser.path()}; screenshot failed-{name}.png", flush=True)
        except Exception as screenshot_error:  # the browser may be what failed
            print(f"     (no screenshot: {screenshot_error})", flush=True)
        return "failed"
    seconds = time.monotonic() - started
    print(f"PASS {name} ({seconds:.1f} s)" + (f": {detail}" if detail else ""), flush=True)
    return "passed"


if __name__ == "__main__":
    sys.exit(main())
