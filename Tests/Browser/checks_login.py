"""Logging in through the form, and the overview's device counts."""

from console_checks import check


@check
def login_with_a_wrong_password_shows_the_error(context):
    browser = context.browser
    browser.deliberate.add(browser.base_url + "/api/v1/session")  # answers 401, as it should
    error = browser.log_in(context.user("technician"), password="not-the-password-at-all", expect_success=False)
    assert "wrong username or password" in error, f"the login error says {error!r}"
    assert browser.path().startswith("/login"), f"a wrong password left the login page for {browser.path()}"
    assert not browser.find('button[data-action="logout"]'), "a wrong password shows a logged-in page"
    return f"error shown: {error!r}"


@check
def login_with_the_right_password_lands_on_the_overview(context):
    browser = context.browser
    user = context.user("technician")
    browser.log_in(user)
    assert browser.text("#main h1") == "Overview", f"landed on {browser.text('#main h1')!r}"
    who = browser.text(".who .user")
    assert who and who.startswith(user["username"]), f"the header names {who!r}"
    assert "technician" in who, f"the header does not name the role: {who!r}"


def shown_counts(browser):
    return {state: browser.text(f'[data-tally="{state}"]') for state in ("up", "down", "unknown")}


@check
def overview_shows_the_device_counts(context):
    browser = context.browser
    browser.log_in(context.user("admin"))
    expected = {state: str(count) for state, count in context.expected_counts().items()}
    shown = shown_counts(browser)
    assert shown == expected, f"overview shows {shown}, the seeded devices are {expected}"
    # The branches with devices down, by display name, each with the word "down" beside its colour.
    rows = browser.driver.execute_script(
        "return [...document.querySelectorAll('#main table tr')].map((r) => r.textContent.replace(/\\s+/g, ' ').trim());")
    for device in context.fixture["devices"]:
        if device["state"] == "down":
            name = context.branch(device["branch"])["display_name"]
            row = next((r for r in rows if name in r), None)
            assert row and "down" in row, f"no row saying branch {name!r} is down among {rows}"
    return f"up/down/unknown = {shown['up']}/{shown['down']}/{shown['unknown']}"
