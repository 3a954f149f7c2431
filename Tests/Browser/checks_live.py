"""Live updates on an open page: the probed device's LAN link goes down, the overview shows it
down without a reload; its alert is acknowledged on the alerts page; the link comes back, the
overview shows it up again."""

import secrets
import time

from console_checks import Skip, check

# The bound the console promises between a device's change and the open page showing it.
LIVE_SECONDS = 5.0
# Buttons and forms that call the management API (console.js, and the pages' own scripts).
WRITE_CONTROLS = 'button[data-action="api"], form[data-api], form[data-page-api]'
# An alert fires within the probe interval (1 s here) and a few seconds of evaluation.
ALERT_SECONDS = 10.0

# Records in window.__outpostSeen the Date.now() at which the overview's tally of down devices
# first reads arguments[0] (watching every change of the DOM), and leaves a marker that only a
# reload would clear.
WATCH_TALLY = """
const [want, marker] = arguments;
window.__outpostMarker = marker;
window.__outpostSeen = null;
const check = () => {
  const tally = document.querySelector('[data-tally="down"]');
  if (window.__outpostSeen === null && tally && tally.textContent.trim() === want) window.__outpostSeen = Date.now();
};
new MutationObserver(check).observe(document.documentElement, { subtree: true, childList: true, characterData: true });
check();
"""


def watch_down_tally(context, count):
    """Starts watching for the overview's "devices down" to read ``count``; returns the marker."""
    marker = secrets.token_hex(8)
    context.browser.driver.execute_script(WATCH_TALLY, str(count), marker)
    return marker


def await_down_tally(context, count, marker, since_ms, what):
    """Waits (LIVE_SECONDS from ``since_ms``) for the watched tally; checks the page was not
    reloaded; returns the latency in ms."""
    browser = context.browser
    remaining = LIVE_SECONDS - (time.time() * 1000 - since_ms) / 1000
    seen = browser.wait_for(f"the overview to show {count} devices down ({what})",
                            lambda: browser.driver.execute_script("return window.__outpostSeen;"), max(remaining, 0.1))
    assert browser.driver.execute_script("return window.__outpostMarker;") == marker, "the page was reloaded"
    return seen - since_ms


def vake_row(context):
    """The overview's row of the probed device's branch among the branches with devices down."""
    name = context.branch(context.device(context.fixture["history_device"])["branch"])["name"]
    return context.browser.driver.execute_script(
        "const a = document.querySelector('#main a[href=\"/branches/' + arguments[0] + '\"]');"
        "const row = a && a.closest('tr'); return row ? row.textContent.replace(/\\s+/g, ' ').trim() : null;", name)


@check
def device_down_shows_on_the_open_overview_without_reload(context):
    browser = context.browser
    device = context.fixture["history_device"]
    browser.log_in(context.user("technician"))
    live = context.exists("events")
    before = context.expected_counts()
    assert browser.text('[data-tally="down"]') == str(before["down"]), "the overview's down count before the outage"
    assert vake_row(context) is None, f"the branch is listed down before the outage: {vake_row(context)}"
    marker = watch_down_tally(context, before["down"] + 1)
    down_at = context.set_link("down")
    if not live:
        raise Skip("/console/events (live updates) is not built yet (404): the link is down, the page cannot follow")
    latency = await_down_tally(context, before["down"] + 1, marker, down_at, "link down")
    context.measure("down shown after link down (ms)", round(latency))
    row = vake_row(context)
    assert row and "down" in row, f"the branch's row does not say down: {row!r}"
    counts = context.expected_counts(down={device})
    shown = {state: browser.text(f'[data-tally="{state}"]') for state in counts}
    assert shown == {state: str(n) for state, n in counts.items()}, f"after the outage the overview shows {shown}"
    return f"{latency:.0f} ms after `ip link set down` (bound {LIVE_SECONDS:g} s)"


def open_alert(context):
    """The probed device's open alert (waited for), from the management API."""
    device = context.device(context.fixture["history_device"])

    def find():
        answer = context.browser.fetch("GET", f"/api/v1/alerts?open=true&device={device['id']}")
        assert answer["status"] == 200, f"GET /api/v1/alerts answered {answer}"
        alerts = answer["body"]["alerts"]
        return alerts[0] if alerts else None
    return context.browser.wait_for("the device's alert to fire", find, ALERT_SECONDS)


def alert_page(context):
    """Opens the page with the alerts' controls: the alerts page, or, until it is built, the
    probed device's page; returns its name."""
    if context.exists("alerts"):
        context.browser.open("/alerts")
        return "alerts"
    context.browser.open(f"/devices/{context.device(context.fixture['history_device'])['id']}")
    return "device"


@check
def viewer_gets_no_acknowledge_control_and_the_api_refuses_it(context):
    browser = context.browser
    assert context.state.get("link") == "down", "the link should be down from the previous check"
    alert = open_alert(context)
    context.state["alert"] = alert["id"]
    browser.log_in(context.user("viewer"))
    assert not browser.find(WRITE_CONTROLS), "the overview shows a viewer write controls"
    page = alert_page(context)
    assert alert["message"] in browser.driver.find_element("id", "main").text, f"the {page} page lacks the alert"
    assert not browser.find(WRITE_CONTROLS), f"the {page} page shows a viewer write controls"
    # The viewer's own session and CSRF token, from the page's script context: refused by role.
    answer = browser.fetch("POST", f"/api/v1/alerts/{alert['id']}/acknowledge", {"comment": "a viewer tries"})
    assert answer["status"] == 403, f"a viewer's acknowledgement answered {answer}"
    return f"no control on the {page} page; POST …/acknowledge answered 403"


@check
def technician_acknowledges_the_alert(context):
    """On the alerts page, or, until it is built, on the device's page."""
    browser = context.browser
    alert_id = context.state.get("alert")
    assert alert_id, "no open alert from the previous checks"
    browser.log_in(context.user("technician"))
    page = alert_page(context)
    button_css = f'button[data-action="api"][data-path="/api/v1/alerts/{alert_id}/acknowledge"]'
    button = browser.wait_for("the alert's acknowledge button", lambda: browser.find(button_css))
    button.click()
    browser.answer_prompt("Seen from the browser test; the branch is called.")

    def acknowledged():
        body = browser.fetch("GET", f"/api/v1/alerts/{alert_id}")["body"]
        return body if body.get("acknowledged") else None
    answer = browser.wait_for("the API to report the alert acknowledged", acknowledged)
    assert answer["acknowledged_by"] == context.user("technician")["username"], f"acknowledged by {answer['acknowledged_by']!r}"
    browser.wait_for("the page to drop the acknowledge button", lambda: browser.find(button_css) is None)
    browser.collect_logs()
    return f"on the {page} page" + ("" if page == "alerts" else " (the alerts page is not built yet: 404)")


@check
def device_up_shows_on_the_open_overview_without_reload(context):
    browser = context.browser
    assert context.state.get("link") == "down", "the link should be down from the previous checks"
    browser.open("/")
    down = context.expected_counts(down={context.fixture["history_device"]})["down"]
    if context.exists("events"):
        browser.wait_for("the overview to show the device down", lambda: browser.text('[data-tally="down"]') == str(down))
    marker = watch_down_tally(context, down - 1)
    up_at = context.set_link("up")
    context.needs("events", "the link is up again, the page cannot follow")
    latency = await_down_tally(context, down - 1, marker, up_at, "link up")
    context.measure("up shown after link up (ms)", round(latency))
    browser.wait_for("the branch's row to leave the list of branches down", lambda: vake_row(context) is None, 1)
    return f"{latency:.0f} ms after `ip link set up` (bound {LIVE_SECONDS:g} s)"
