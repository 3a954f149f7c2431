"""The map, the device chart, the keyboard, and a screenshot of every page."""

import os

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

import console_pages
from checks_roles import branch_on_map
from console_checks import check

# 24 h of seeded rounds, one a minute: a chart drawing them has at least one point an hour
# (however it aggregates), i.e. 24 and more vertices.
MINIMUM_CHART_POINTS = 24
# The seeded rounds cover 24 h: the lines span most of the 24-hour chart's width (the axes'
# margins take the rest).
MINIMUM_SPAN = 0.8
# How long the seeded history may take to reach the chart (the roll-up job's round).
CHART_SECONDS = 30.0

# The vertices the open page's charts draw (TimeChart's <svg class="chart">: each M or L
# command of their lines' paths), and the share of the charts' width between the leftmost and
# the rightmost.
COUNT_VERTICES = """
let count = 0, left = Infinity, right = -Infinity, width = 0;
for (const svg of document.querySelectorAll("#main svg.chart")) {
  width = Math.max(width, svg.viewBox.baseVal.width);
  for (const path of svg.querySelectorAll("path")) {
    for (const [, x] of (path.getAttribute("d") || "").matchAll(/[ML]\\s*(-?[\\d.]+)/g)) {
      count += 1;
      left = Math.min(left, Number(x));
      right = Math.max(right, Number(x));
    }
  }
}
return [count, count ? (right - left) / width : 0];
"""


@check
def map_shows_every_seeded_branch(context):
    browser = context.browser
    browser.log_in(context.user("admin"))
    context.needs("map")
    browser.open("/map")
    size = browser.driver.execute_script(
        "const r = document.querySelector('#main svg').getBoundingClientRect(); return [r.width, r.height];")
    assert size[0] >= 400 and size[1] >= 200, f"the map is drawn {size[0]:.0f}×{size[1]:.0f} px"
    missing = [b["name"] for b in context.branches_in() if not branch_on_map(context, b)]
    assert not missing, f"the map lacks the branches {missing}"
    return f"{len(context.branches_in())} branches on a {size[0]:.0f}×{size[1]:.0f} px map"


@check
def georgian_names_render_in_the_console_font(context):
    """The branches page shows every Georgian name, and the console's own Georgian font face
    (console.css) loads for them instead of failing."""
    browser = context.browser
    context.needs("branches")
    browser.open("/branches")
    text = browser.driver.find_element("id", "main").text
    missing = [b["display_name_ka"] for b in context.branches_in() if b["display_name_ka"] not in text]
    assert not missing, f"the branches page lacks the Georgian names {missing}"
    faces = browser.driver.execute_script(
        "return [...document.fonts].filter((f) => f.family.replace(/[\"']/g, '') === 'Outpost Georgian')"
        ".map((f) => f.status);")
    assert faces == ["loaded"], f"the Outpost Georgian font face is {faces or 'not declared'}"


@check
def device_chart_draws_the_seeded_24_hours(context):
    browser = context.browser
    context.needs("device")
    device = context.device(context.fixture["history_device"])
    path = f"/devices/{device['id']}?range=24h"
    browser.open(path)
    assert device["name"] in browser.text("#main h1"), "the device page does not name the device"

    def drawn():
        # The history reaches the charts' tables through the collector's roll-up job, within
        # seconds of the seeding: the page is loaded again until its chart shows it.
        count, span = browser.driver.execute_script(COUNT_VERTICES)
        if count >= MINIMUM_CHART_POINTS and span >= MINIMUM_SPAN:
            return count, span
        browser.open(path)
        return None
    vertices, span = browser.wait_for(
        f"charts with {MINIMUM_CHART_POINTS}+ points across {MINIMUM_SPAN:.0%} of their width", drawn, CHART_SECONDS)
    context.measure("chart vertices for 24 h", vertices)
    return f"{vertices} vertices across {span:.0%} of the width"


# How long the agent's first health summary may take to show (it sends one right after its
# session opens, then every 15 s).
HEALTH_SECONDS = 40.0

# The online agent's health and memory cells on the agents page, or null.
ONLINE_AGENT_HEALTH = """
const row = [...document.querySelectorAll("tr[data-agent]")].find((r) => r.querySelector(".agent-online"));
return row ? [row.querySelector("td.health").textContent, row.querySelector("td.memory").textContent] : null;
"""


@check
def agents_page_shows_the_live_agents_health(context):
    """The running agent's heartbeats carry its health summary: the agents page shows when it
    reported and its memory."""
    browser = context.browser
    context.needs("agents")
    browser.open("/agents")

    def reported():
        cells = browser.driver.execute_script(ONLINE_AGENT_HEALTH)
        if cells and "reported" in cells[0] and "MiB" in cells[1]:
            return cells
        browser.open("/agents")
        return None
    health, memory = browser.wait_for("the online agent's health summary", reported, HEALTH_SECONDS)
    return f"{' '.join(health.split())}; memory {' '.join(memory.split())}"


@check
def keyboard_tab_reaches_every_navigation_link(context):
    browser = context.browser
    browser.open("/")
    links = browser.find_all('nav[aria-label="Sections"] a')
    assert links, "no navigation links"
    browser.driver.execute_script("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0);")
    reached = []
    # The skip link, the brand, then the navigation: a few more presses than links is enough.
    for _ in range(len(links) + 4):
        ActionChains(browser.driver).send_keys(Keys.TAB).perform()
        focused = browser.driver.switch_to.active_element
        if focused in links:
            reached.append(focused.get_attribute("href"))
    wanted = [link.get_attribute("href") for link in links]
    assert reached == wanted, f"Tab reached {reached}, the navigation is {wanted}"
    return f"{len(reached)} links in order"


@check
def screenshots_of_every_page(context):
    """Every page that exists, as the administrator (the login page logged out), into the
    screenshots directory; fails on a script error or a Content-Security-Policy violation."""
    browser = context.browser
    os.makedirs(context.screenshots, exist_ok=True)
    taken, missing = [], []
    for page in console_pages.PAGES:
        if page.public:
            continue
        if not context.exists(page.name):
            missing.append(page.name)
            continue
        browser.open(context.fill(page.path))
        assert browser.find("#main"), f"{page.path} has no <main>"
        browser.screenshot(os.path.join(context.screenshots, f"{page.name}.png"))
        taken.append(page.name)
    browser.log_out()
    browser.screenshot(os.path.join(context.screenshots, "login.png"))
    taken.append("login")
    browser.collect_logs()
    return f"{', '.join(taken)}" + (f"; not built yet: {', '.join(missing)}" if missing else "")
