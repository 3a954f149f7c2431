"""The console's pages and endpoints the browser tests visit.

A page that is not built yet answers 404: the checks that need it are skipped with a message
naming it, unless it is listed in ``REQUIRED``, where a missing page fails. A new page plugs in
with one line in ``PAGES`` (its screenshot then comes for free) and its name in ``REQUIRED``.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Page:
    """A page of the console: ``name`` names its screenshot; ``path`` may hold ``{branch}``
    (a branch's name) and ``{device}`` (a device's id), filled from the seeded data."""
    name: str
    path: str
    public: bool = False


PAGES = [
    Page("login", "/login", public=True),
    Page("overview", "/"),
    Page("map", "/map"),
    Page("branches", "/branches"),
    Page("branch", "/branches/{branch}"),
    Page("devices", "/devices"),
    Page("device", "/devices/{device}"),
    Page("device-hour", "/devices/{device}?range=1h"),
    Page("alerts", "/alerts"),
    Page("agents", "/agents"),
    Page("discovery", "/discovery"),
    Page("admin", "/admin"),
    Page("reports", "/reports"),
]

# Live updates: Server-Sent Events the pages listen to.
EVENTS_PATH = "/console/events"

# Pages (and "events") that must exist: missing, their checks fail instead of being skipped.
REQUIRED = {"login", "overview", "map", "branches", "branch", "devices", "device", "device-hour", "alerts", "agents",
            "discovery", "admin", "events", "reports"}


def page(name):
    return next(p for p in PAGES if p.name == name)
