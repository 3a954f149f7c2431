"""The registry of browser checks and what they share.

A check is a function taking the ``Context``, registered with ``@check`` in the order it runs
(later checks build on the state earlier ones leave: the link down, an open alert). It fails by
raising ``AssertionError``, and is skipped by ``context.needs(page)`` when the page it needs is
not built yet (see console_pages.REQUIRED).
"""

import subprocess
import time

import console_pages

CHECKS = []


def check(function):
    """Registers ``function`` as the next check."""
    CHECKS.append(function)
    return function


class Skip(Exception):
    """The check cannot run yet: what it needs is missing (the message says what)."""


class Context:
    """What the checks share: the browser, the seeded data, the console's pages that exist,
    the LAN link to cut, and the numbers measured along the way."""

    def __init__(self, browser, fixture, screenshots, link):
        self.browser = browser
        self.fixture = fixture
        self.screenshots = screenshots
        self.namespace, self.interface = link.split(":", 1)
        self.measured = {}
        self.state = {}
        self._exists = {}

    # ---- seeded data ----

    def user(self, role):
        return self.fixture["users"][role]

    def device(self, name):
        return next(d for d in self.fixture["devices"] if d["name"] == name)

    def branch(self, name):
        return next(b for b in self.fixture["branches"] if b["name"] == name)

    def branches_in(self, regions=None):
        return [b for b in self.fixture["branches"] if regions is None or b["region"] in regions]

    def devices_in(self, regions=None):
        region_of = {b["name"]: b["region"] for b in self.fixture["branches"]}
        return [d for d in self.fixture["devices"] if regions is None or region_of[d["branch"]] in regions]

    def expected_counts(self, regions=None, down=()):
        """Devices by state as seeded, for the operator limited to ``regions``, with the devices
        named in ``down`` down."""
        counts = {"up": 0, "down": 0, "unknown": 0}
        for device in self.devices_in(regions):
            counts["down" if device["name"] in down else device["state"]] += 1
        return counts

    def fill(self, path):
        """``path`` with ``{branch}`` and ``{device}`` filled: the probed device and its branch."""
        device = self.device(self.fixture["history_device"])
        return path.format(branch=device["branch"], device=device["id"])

    # ---- which pages exist ----

    def discover(self):
        """Asks, as the administrator (who sees every branch's pages), which of the pages and
        "events" (the live updates) answer something else than 404; logs out again."""
        self.browser.log_in(self.user("admin"))
        for page in console_pages.PAGES:
            self._exists[page.name] = self.browser.status_of(self.fill(page.path)) != 404
        self._exists["events"] = self.browser.status_of(console_pages.EVENTS_PATH) != 404
        self.browser.log_out()
        return sorted(name for name, found in self._exists.items() if found)

    def exists(self, name):
        """Whether page ``name`` (or "events") was found by ``discover``."""
        return self._exists[name]

    def needs(self, name, step=None):
        """Skips the check (or fails, for a page in console_pages.REQUIRED) unless page ``name``
        exists; ``step`` names what is skipped."""
        if self.exists(name):
            return
        what = "/console/events (live updates)" if name == "events" else f"the {name} page"
        if name in console_pages.REQUIRED:
            raise AssertionError(f"{what} answers 404 but is required")
        raise Skip(f"{what} is not built yet (404): {step or 'skipped'}")

    # ---- the device's LAN link ----

    def set_link(self, state):
        """Takes the probed device's LAN link (in the agent's namespace) ``up`` or ``down``;
        returns the wall-clock time in ms just before, to compare with the page's Date.now()."""
        at = time.time() * 1000
        subprocess.run(["ip", "netns", "exec", self.namespace, "ip", "link", "set", self.interface, state], check=True)
        self.state["link"] = state
        return at

    def measure(self, name, value):
        self.measured[name] = value
