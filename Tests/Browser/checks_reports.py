"""The availability report: a range holding the seeded outage of the probed device (10 minutes
lost 6 h ago), by branch and by device, a branch's outages, and the CSV its links download."""

import datetime
import re

from selenium.webdriver.support.ui import Select

from console_checks import check

# How long the seeded rounds may take to reach the report's roll-ups (the roll-up job's round).
ROLLUP_SECONDS = 30.0
# The seeded outage: 10 minutes without a reachable round (its edge minutes partly down).
SEEDED_OUTAGE_MINUTES = (9, 12)

# The report table's rows: key, name, devices, availability, down, outages (the MTTR and MTBF
# columns are not read).
READ_ROWS = """
return [...document.querySelectorAll('#main table[data-report="rows"] tbody tr[data-key]')].map((row) => {
  const cells = [...row.cells].map((cell) => cell.textContent.trim());
  return { key: row.dataset.key, name: cells[0], devices: Number(cells[1]), availability: cells[2],
           down: cells[3], outages: Number(cells[4]), href: row.querySelector("a").getAttribute("href") };
});
"""

# GET of a link as the page would download it: status, content type and text.
DOWNLOAD = """
const [href, done] = arguments;
fetch(href, { credentials: "same-origin" })
  .then(async (response) => done({ status: response.status, type: response.headers.get("content-type"),
                                   text: await response.text() }))
  .catch((error) => done({ status: -1, type: null, text: String(error) }));
"""


def report_range():
    """From yesterday to the day after tomorrow (UTC dates): 6 h ago lies inside in every zone."""
    today = datetime.datetime.now(datetime.timezone.utc).date()
    return (today - datetime.timedelta(days=1)).isoformat(), (today + datetime.timedelta(days=2)).isoformat()


def minutes(duration):
    """``1h2m30s`` → 62.5."""
    units = {"d": 1440, "h": 60, "m": 1, "s": 1 / 60}
    return sum(int(number) * units[unit] for number, unit in re.findall(r"(\d+)([dhms])", duration))


def percent(text):
    return float(text.rstrip("%"))


def download(context, href):
    browser = context.browser
    browser.deliberate.add(browser.base_url + href)
    return browser.driver.execute_async_script(DOWNLOAD, href)


@check
def reports_page_shows_the_seeded_outage_by_branch(context):
    browser = context.browser
    browser.log_in(context.user("admin"))
    context.needs("reports")
    start, end = report_range()
    path = f"/reports?from={start}&to={end}&by=branch"
    probed = context.device(context.fixture["history_device"])
    home = context.branch(probed["branch"])

    def with_outage():
        # The seeded rounds reach the roll-ups the report reads within the roll-up job's round.
        browser.open(path)
        rows = browser.driver.execute_script(READ_ROWS)
        row = next((r for r in rows if r["key"] == home["name"]), None)
        return (rows, row) if row and row["outages"] >= 1 else None
    rows, row = browser.wait_for(f"an outage of {home['name']} in the report", with_outage, ROLLUP_SECONDS)
    assert sorted(r["key"] for r in rows) == sorted(b["name"] for b in context.branches_in()), \
        f"rows by branch are {[r['key'] for r in rows]}"
    assert row["name"] == home["display_name"] and row["devices"] == 1, f"the probed branch's row is {row}"
    availability = percent(row["availability"])
    assert 95 < availability < 100, f"{home['name']} is {row['availability']} available over 3 days with 10 min lost"
    assert minutes(row["down"]) >= SEEDED_OUTAGE_MINUTES[0], f"{home['name']} was down {row['down']}"
    others = [r for r in rows if r["key"] != home["name"]]
    assert all(r["availability"] == "-" and r["outages"] == 0 for r in others), \
        f"branches never probed show figures: {others}"
    context.state["report"] = {"path": path, "row": row}
    browser.screenshot(f"{context.screenshots}/reports-by-branch.png")
    return f"{home['display_name']}: {row['availability']}, {row['outages']} outage(s), down {row['down']}"


@check
def reports_page_lists_a_branchs_outages(context):
    browser = context.browser
    context.needs("reports")
    report = context.state.get("report")
    assert report, "the report by branch did not load"
    probed = context.device(context.fixture["history_device"])
    browser.driver.find_element("css selector", f'#main tr[data-key="{probed["branch"]}"] a').click()
    browser.wait_for_page()
    assert f"group={probed['branch']}" in browser.path(), f"the row's link led to {browser.path()}"
    assert browser.text('#main table[data-report="outages"] caption').startswith(
        f"Outages of {report['row']['name']}"), "no outage table for the branch chosen"
    lines = browser.driver.execute_script(
        "return [...document.querySelectorAll('#main table[data-report=\"outages\"] tr[data-device]')]"
        ".map((row) => [row.dataset.device, ...[...row.cells].map((cell) => cell.textContent.trim())]);")
    # The live checks' outage may have reached the roll-ups since: the drilled page's own row counts.
    row = next(r for r in browser.driver.execute_script(READ_ROWS) if r["key"] == probed["branch"])
    assert len(lines) == row["outages"], f"{len(lines)} outages listed, the row counts {row['outages']}"
    assert all(line[0] == probed["id"] and line[1] == probed["name"] for line in lines), f"outages listed: {lines}"
    low, high = SEEDED_OUTAGE_MINUTES
    seeded = [line for line in lines if low <= minutes(line[5]) <= high]
    assert seeded, f"no outage of {low}-{high} minutes among {[line[5] for line in lines]}"
    outages_csv = download(context, browser.find('#main a[href*="part=outages"]').get_attribute("href"))
    assert outages_csv["status"] == 200 and outages_csv["type"].startswith("text/csv"), \
        f"the outages' CSV answered {outages_csv['status']} {outages_csv['type']}"
    csv_lines = outages_csv["text"].strip().split("\n")
    assert csv_lines[0].startswith("group,device_id,device,"), f"the outages' CSV starts {csv_lines[0]!r}"
    assert len(csv_lines) - 1 == len(lines) and all(probed["id"] in line for line in csv_lines[1:]), \
        f"the outages' CSV holds {csv_lines[1:]}, the page {len(lines)} outages"
    return f"{len(lines)} outage(s) of {probed['name']}, one of {seeded[0][5]}; CSV alike"


@check
def reports_page_switches_to_rows_per_device_and_its_csv_matches(context):
    browser = context.browser
    context.needs("reports")
    report = context.state.get("report")
    assert report, "the report by branch did not load"
    browser.open(report["path"])
    Select(browser.driver.find_element("id", "r-by")).select_by_value("device")
    browser.driver.find_element("css selector", '#main form.filters button[type="submit"]').click()
    browser.wait_for("the report by device", lambda: "by=device" in browser.path())
    browser.wait_for_page()
    rows = browser.driver.execute_script(READ_ROWS)
    assert sorted(r["key"] for r in rows) == sorted(d["id"] for d in context.devices_in()), \
        f"rows by device are {[r['name'] for r in rows]}"
    probed = context.device(context.fixture["history_device"])
    row = next(r for r in rows if r["key"] == probed["id"])
    assert row["name"] == probed["name"] and row["devices"] == 1, f"the probed device's row is {row}"
    assert row["outages"] >= report["row"]["outages"] and percent(row["availability"]) < 100, \
        f"by device {row}, by branch {report['row']}"

    rows_csv = download(context, browser.find('#main a[href*="format=csv"]:not([href*="part=outages"])')
                        .get_attribute("href"))
    assert rows_csv["status"] == 200 and rows_csv["type"].startswith("text/csv"), \
        f"the rows' CSV answered {rows_csv['status']} {rows_csv['type']}"
    lines = rows_csv["text"].strip().split("\n")
    assert lines[0].startswith("group,name,devices,availability_percent,"), f"the rows' CSV starts {lines[0]!r}"
    by_key = {line.split(",")[0]: line.split(",") for line in lines[1:]}
    assert set(by_key) == {r["key"] for r in rows}, f"the CSV's rows are {sorted(by_key)}"
    shown = by_key[probed["id"]]
    assert shown[1] == probed["name"] and abs(float(shown[3]) - percent(row["availability"])) < 0.001, \
        f"the CSV has {shown}, the page {row}"
    browser.screenshot(f"{context.screenshots}/reports-by-device.png")
    return f"{len(rows)} device rows; CSV of {len(lines) - 1} rows, {probed['name']} at {shown[3]} %"
